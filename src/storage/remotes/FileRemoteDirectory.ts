import type { Remote, RemoteDirectory } from '../../core/ports/RemoteDirectory.js';
import { NamedRecordFile } from '../files/NamedRecordFile.js';

/** The file the remotes live in, under the data dir. */
export const REMOTES_FILE = 'remotes.json';

/** Remotes in `<dataDir>/remotes.json`, mode 0600 (see NamedRecordFile). */
export class FileRemoteDirectory extends NamedRecordFile<Remote> implements RemoteDirectory {
  constructor(dataDir: string) {
    super(dataDir, REMOTES_FILE, 'remotes');
  }
}
