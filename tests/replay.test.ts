// Every recorded history under tests/histories replays against the current workflow code. A failure here
// means a change would break trajectories that are running in production: put it behind patched().
// They were recorded before payload encryption and replay through the codec, which passes unencrypted
// payloads through (an encrypted history replays in tests/payload-codec.test.ts).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { testDataConverter } from './helpers/temporal';

const dir = path.join(import.meta.dirname, 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('recorded histories replay on the current workflow code', () => {
  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s', async (file) => {
    const history = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: testDataConverter },
      history,
      file.replace(/\.json$/, ''),
    );
  });
});
