/** Shared by the two renderers: a picture's source (a file name or a data URI), which must have been given. */
import { reportPictures, type ReportModel } from './model';

export type PictureSources = Readonly<Record<string, string>>;

/** Throws, naming them, when any picture of `m` has no source: a report never shows a broken image. */
export function checkSources(m: ReportModel, sources: PictureSources): void {
  const lacking = reportPictures(m)
    .filter((p) => !sources[p.id])
    .map((p) => p.id);
  if (lacking.length) throw new Error(`The report has no image for ${lacking.join(', ')}.`);
}
