/**
 * `cellblock validate FILE...`: checks each file as a cell spec or a scenario (told apart by
 * its content). Prints `FILE: ok` for a valid file, every error of an invalid one on stderr.
 * Exit status 0 when every file is valid, 2 otherwise.
 */
import { checkFile } from '../src/spec/index.js';

export async function validateCommand(files: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  if (files.length === 0) {
    err.write('cellblock validate: name at least one file\n');
    return 2;
  }
  let status = 0;
  for (const file of files) {
    const errors = await checkFile(file);
    if (errors.length === 0) out.write(`${file}: ok\n`);
    for (const line of errors) err.write(`${line}\n`);
    if (errors.length > 0) status = 2;
  }
  return status;
}
