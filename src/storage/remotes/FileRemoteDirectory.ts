import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Remote, RemoteDirectory } from '../../core/ports/RemoteDirectory.js';

/** The file the remotes live in, under the data dir. */
export const REMOTES_FILE = 'remotes.json';

/**
 * Remotes in `<dataDir>/remotes.json`, mode 0600 (they hold secret keys), replaced atomically (write a temporary file,
 * then rename) so a crash leaves the old list or the new one. Read on every call: the CLI writes it while the server
 * runs.
 */
export class FileRemoteDirectory implements RemoteDirectory {
  private readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, REMOTES_FILE);
  }

  async list(): Promise<Remote[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const parsed = JSON.parse(text) as { remotes?: Remote[] };
    return (parsed.remotes ?? []).slice().sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(name: string): Promise<Remote | undefined> {
    return (await this.list()).find((r) => r.name === name);
  }

  async put(remote: Remote): Promise<void> {
    const others = (await this.list()).filter((r) => r.name !== remote.name);
    await this.save([...others, remote]);
  }

  async remove(name: string): Promise<boolean> {
    const all = await this.list();
    const kept = all.filter((r) => r.name !== name);
    if (kept.length === all.length) return false;
    await this.save(kept);
    return true;
  }

  private async save(remotes: readonly Remote[]): Promise<void> {
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify({ remotes }, null, 2)}\n`, { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, this.path);
  }
}
