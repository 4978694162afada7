/** The report's confusion matrices drawn on a canvas as PNG data URIs (the command line draws the same in Node). */
import type { ReportPicture } from '../../core/report/model';
import { confusionPictureSize, drawConfusion, type DrawCtx } from '../../core/results';

export function pictureUri(p: ReportPicture): string {
  const { width, height } = confusionPictureSize(p.classes.length);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  drawConfusion(canvas.getContext('2d')! as unknown as DrawCtx, p.matrix, p.classes, p.title);
  return canvas.toDataURL('image/png');
}

/** A data URI's bytes. */
export function uriBytes(uri: string): Uint8Array {
  const text = atob(uri.slice(uri.indexOf(',') + 1));
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
