// Child process for crash tests: writes into a c1z and reports progress on stdout until the parent
// SIGKILLs it. Usage: node --import tsx c1z-writer-child.ts <file> <tmpDir> <puts|checkpoint|compress>
import { C1zStore } from '../../src/baton/c1z/store.js';
import { newGrant, newGroupResource, newResourceId } from '../../src/baton/model/index.js';
import { groupType, writeSample } from './c1z-sample.js';

const [file, tmpDir, phase] = process.argv.slice(2) as [string, string, string];
const say = (line: string) => process.stdout.write(`${line}\n`);
const forever = () => new Promise<never>(() => setInterval(() => undefined, 1000));

const store = await C1zStore.open(file, {
  tmpDir,
  // Pause mid-compression so the parent can kill the process while <file>.tmp is half written.
  onCompressChunk: phase === 'compress' ? async () => (say('compressing'), forever()) : undefined,
});
const resumable = store.findResumableSync('full');
if (resumable === undefined) store.startSync('full');
else store.resumeSync(resumable.syncId);
writeSample(store, 20, 3);
// Committed before the kill can land: the parent checks a resumed sync has them. (Later puts may be queued,
// up to the store's byte bound, when the kill comes.)
await store.flush();
say('ready');

const group = newGroupResource('Big', groupType, 'big');
store.putResources([group]);
let n = 0;
switch (phase) {
  case 'puts':
    for (;;) {
      const batch = Array.from({ length: 2000 }, () =>
        newGrant(group, 'member', newResourceId('user', `x${n++}`)),
      );
      store.putGrants(batch);
      await store.whenWritable();
      say(`put ${n}`);
    }
  case 'checkpoint':
    for (;;) {
      store.checkpoint(JSON.stringify({ current_action_id: ++n, padding: 'x'.repeat(4096) }));
      // Committed before it is announced, so a token is there to resume from; the kill lands on a later write.
      await store.flush();
      say(`checkpoint ${n}`);
    }
  case 'compress': {
    const batch = Array.from({ length: 20000 }, () =>
      newGrant(group, 'member', newResourceId('user', `x${n++}`)),
    );
    store.putGrants(batch);
    await store.endSync();
    await store.close();
    say('closed');
    break;
  }
  default:
    throw new Error(`unknown phase ${phase}`);
}
