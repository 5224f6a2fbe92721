import { Kernel } from '../../src/index.js';
const k = await Kernel.boot({ seed: 1 });
for (let i = 0; i < 1500; i++) await (await k.createCell({ kind: 'jail', name: `j${i}`, path: `/jails/j${i}`, rootfs: 'minimal', persist: true })).start();
