import type { EventTarget, EventTargetDirectory } from '../../core/ports/EventTargets.js';
import { NamedRecordFile } from '../files/NamedRecordFile.js';

/** The file notification targets live in, under the data dir. */
export const TARGETS_FILE = 'targets.json';

/** Notification targets in `<dataDir>/targets.json`, mode 0600 (see NamedRecordFile). */
export class FileEventTargetDirectory extends NamedRecordFile<EventTarget> implements EventTargetDirectory {
  constructor(dataDir: string) {
    super(dataDir, TARGETS_FILE, 'targets');
  }
}
