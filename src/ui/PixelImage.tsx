import { useEffect, useRef } from 'react';
import { IMAGE_HEIGHT, IMAGE_WIDTH, rgbToRgba } from '../core/image';

/** Draws a stored 120x90 RGB image exactly as the model will see it. */
export function PixelImage({ pixels, alt, scale = 1 }: { pixels: Uint8Array; alt: string; scale?: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.putImageData(new ImageData(rgbToRgba(pixels), IMAGE_WIDTH, IMAGE_HEIGHT), 0, 0);
  }, [pixels]);
  return (
    <canvas
      ref={ref}
      width={IMAGE_WIDTH}
      height={IMAGE_HEIGHT}
      role="img"
      aria-label={alt}
      title={alt}
      style={{ width: IMAGE_WIDTH * scale, height: IMAGE_HEIGHT * scale }}
      className="thumb"
    />
  );
}
