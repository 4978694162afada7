/** Turn a dropped or chosen folder into files with paths relative to its root (main thread; no decoding). */
import { normalisePath, type FileEntry } from '../core/labels';

export interface WalkedFile extends FileEntry {
  file: File;
}

export interface Walked {
  rootName: string;
  files: WalkedFile[];
  /** Folders with nothing in them, relative to the root. */
  emptyFolders: string[];
}

// No size or date here: the first read of either costs a synchronous trip to the browser process per file.
const toEntry = (path: string, file: File): WalkedFile => ({ path, file });

/** Strips the shared first folder (the one the user picked) from every path. */
function rooted(
  paths: { parts: string[]; file: File }[],
  emptyFolders: string[][],
  fallbackName: string,
): Walked {
  const firsts = new Set(paths.map((p) => p.parts[0]).concat(emptyFolders.map((p) => p[0])));
  const single = firsts.size === 1 && paths.every((p) => p.parts.length > 1);
  const cut = single ? 1 : 0;
  return {
    rootName: single ? [...firsts][0]! : fallbackName,
    files: paths.map((p) => toEntry(p.parts.slice(cut).join('/'), p.file)),
    emptyFolders: emptyFolders.map((p) => p.slice(cut).join('/')).filter(Boolean),
  };
}

/** From `<input type=file webkitdirectory>`. Empty folders are invisible to this API. */
export function walkFileList(list: FileList | File[]): Walked {
  const files = Array.from(list).map((file) => ({
    parts: normalisePath(file.webkitRelativePath || file.name),
    file,
  }));
  return rooted(files, [], 'Chosen files');
}

/** From a drop: folders are read recursively through the entries API. */
export async function walkDataTransfer(items: DataTransferItemList): Promise<Walked> {
  // Entries must be taken synchronously, before the drop event returns.
  const entries = Array.from(items)
    .map((item) => item.webkitGetAsEntry?.())
    .filter((e): e is FileSystemEntry => !!e);
  const files: { parts: string[]; file: File }[] = [];
  const empty: string[][] = [];
  const visit = async (entry: FileSystemEntry, parts: string[]): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((ok, fail) => (entry as FileSystemFileEntry).file(ok, fail));
      files.push({ parts: [...parts, entry.name], file });
      return;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    const children: FileSystemEntry[] = [];
    // readEntries returns at most ~100 entries per call: read until it returns none.
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((ok, fail) => reader.readEntries(ok, fail));
      if (batch.length === 0) break;
      children.push(...batch);
    }
    if (children.length === 0) empty.push([...parts, entry.name]);
    for (const child of children) await visit(child, [...parts, entry.name]);
  };
  for (const entry of entries) await visit(entry, []);
  return rooted(files, empty, 'Dropped files');
}

interface DirectoryHandleLike {
  kind: 'directory';
  name: string;
  values(): AsyncIterable<{ kind: 'file' | 'directory'; name: string; getFile?: () => Promise<File> }>;
}

/** From the File System Access picker (`showDirectoryPicker`), where the browser has it. */
export async function walkDirectoryHandle(root: DirectoryHandleLike): Promise<Walked> {
  const files: WalkedFile[] = [];
  const emptyFolders: string[] = [];
  const visit = async (dir: DirectoryHandleLike, prefix: string[]) => {
    let any = false;
    for await (const child of dir.values()) {
      any = true;
      if (child.kind === 'file' && child.getFile) {
        files.push(toEntry([...prefix, child.name].join('/'), await child.getFile()));
      } else if (child.kind === 'directory') {
        await visit(child as unknown as DirectoryHandleLike, [...prefix, child.name]);
      }
    }
    if (!any && prefix.length > 0) emptyFolders.push(prefix.join('/'));
  };
  await visit(root, []);
  return { rootName: root.name, files, emptyFolders };
}

export function hasDirectoryPicker(): boolean {
  return typeof (globalThis as { showDirectoryPicker?: unknown }).showDirectoryPicker === 'function';
}

export async function pickDirectory(): Promise<Walked | null> {
  const picker = (globalThis as unknown as { showDirectoryPicker: () => Promise<DirectoryHandleLike> })
    .showDirectoryPicker;
  try {
    return await walkDirectoryHandle(await picker());
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') return null;
    throw e;
  }
}
