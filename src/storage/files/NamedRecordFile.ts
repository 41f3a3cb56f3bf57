import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Records with a name, kept in one JSON file under the data dir, mode 0600 (they hold secrets), replaced atomically
 * (write a temporary file, then rename) so a crash leaves the old list or the new one. Read on every call: the CLI
 * writes it while the server runs. Remotes (`remotes.json`) and notification targets (`targets.json`) use it.
 */
export class NamedRecordFile<T extends { readonly name: string }> {
  private readonly path: string;

  constructor(
    dataDir: string,
    fileName: string,
    private readonly field: string,
  ) {
    this.path = join(dataDir, fileName);
  }

  async list(): Promise<T[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const parsed = JSON.parse(text) as Record<string, T[] | undefined>;
    return (parsed[this.field] ?? []).slice().sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(name: string): Promise<T | undefined> {
    return (await this.list()).find((r) => r.name === name);
  }

  async put(record: T): Promise<void> {
    const others = (await this.list()).filter((r) => r.name !== record.name);
    await this.save([...others, record]);
  }

  async remove(name: string): Promise<boolean> {
    const all = await this.list();
    const kept = all.filter((r) => r.name !== name);
    if (kept.length === all.length) return false;
    await this.save(kept);
    return true;
  }

  private async save(records: readonly T[]): Promise<void> {
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify({ [this.field]: records }, null, 2)}\n`, { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, this.path);
  }
}
