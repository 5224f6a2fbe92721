/** The `==> name <==` banners head and tail print between several files. */
import type { Output } from './output.js';

export class Banners {
  private first = true;

  constructor(private readonly enabled: boolean) {}

  async before(out: Output, name: string): Promise<void> {
    if (!this.enabled) return;
    await out.write(`${this.first ? '' : '\n'}==> ${name} <==\n`);
    this.first = false;
  }
}
