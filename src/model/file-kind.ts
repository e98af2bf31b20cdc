// What a file system entry that is not a regular file is, in words (for problems and refusals). Pure.

/** The stat-like shape both fs.Stats and fs.Dirent give. */
export interface FileTypeTests {
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isDirectory(): boolean;
}

/** `a FIFO (named pipe)`, `a socket`, `a directory`... */
export function describeFileKind(st: FileTypeTests): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isDirectory()) return 'a directory';
  return 'a special file';
}
