/**
 * `npm run bench`: performance figures measured side by side in one run on this machine,
 * printed as ratios to a baseline. Not part of `npm test`.
 */
import { availableParallelism, cpus } from 'node:os';
import { apiBench } from './api.js';
import { comfyuiBench } from './comfyui.js';
import { motionBench } from './motion.js';
import { scaleBench } from './scale.js';
import { startBench } from './start.js';
import { veoBench } from './veo.js';

const only = process.argv[2];
console.log(`Reelay bench — ${new Date().toISOString()} — ${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()}, Node ${process.version}`);
if (!only || only === 'motion') await motionBench();
if (!only || only === 'api') await apiBench();
if (!only || only === 'scale') await scaleBench();
if (!only || only === 'veo') await veoBench();
if (!only || only === 'comfyui') await comfyuiBench();
if (!only || only === 'start') await startBench();
