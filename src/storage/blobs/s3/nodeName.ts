import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The file in the data dir that names this node in a shared blob bucket (its staged markers' folder). */
const FILE = 'blob-node';

/** This node's name for S3BlobStore: read from the data dir, or made up and kept there on the first start. */
export async function blobNodeName(dataDir: string): Promise<string> {
  const path = join(dataDir, FILE);
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const name = randomBytes(8).toString('hex');
  try {
    await writeFile(path, `${name}\n`, { flag: 'wx', mode: 0o644 });
    return name;
  } catch (error) {
    // another start made it meanwhile: theirs wins
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return (await readFile(path, 'utf8')).trim();
    throw error;
  }
}
