/**
 * The part of the Canvas 2D API the demo drawings use. Both the browser's (Offscreen)CanvasRenderingContext2D
 * and @napi-rs/canvas satisfy it, so one drawing module serves the lab and the Node command.
 */
export interface Gradient {
  addColorStop(offset: number, color: string): void;
}

export interface PixelData {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

/** Drawing calls: what the item painters use. */
export interface Ctx2D {
  fillStyle: string | Gradient | object;
  strokeStyle: string | Gradient | object;
  lineWidth: number;
  lineCap: string;
  lineJoin: string;
  globalAlpha: number;
  shadowBlur: number;
  shadowColor: string;
  shadowOffsetX: number;
  shadowOffsetY: number;
  save(): void;
  restore(): void;
  translate(x: number, y: number): void;
  rotate(angle: number): void;
  scale(x: number, y: number): void;
  beginPath(): void;
  closePath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  quadraticCurveTo(cpx: number, cpy: number, x: number, y: number): void;
  bezierCurveTo(c1x: number, c1y: number, c2x: number, c2y: number, x: number, y: number): void;
  arc(x: number, y: number, r: number, start: number, end: number, ccw?: boolean): void;
  ellipse(
    x: number,
    y: number,
    rx: number,
    ry: number,
    rot: number,
    start: number,
    end: number,
    ccw?: boolean,
  ): void;
  rect(x: number, y: number, w: number, h: number): void;
  fill(): void;
  stroke(): void;
  clip(): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  setLineDash(segments: number[]): void;
  createLinearGradient(x0: number, y0: number, x1: number, y1: number): Gradient;
  createRadialGradient(x0: number, y0: number, r0: number, x1: number, y1: number, r1: number): Gradient;
}

/** Drawing plus pixel access (for sensor noise), generic so each engine keeps its own ImageData type. */
export interface PixelCtx2D<Img extends PixelData> extends Ctx2D {
  getImageData(x: number, y: number, w: number, h: number): Img;
  putImageData(data: NoInfer<Img>, x: number, y: number): void;
}
