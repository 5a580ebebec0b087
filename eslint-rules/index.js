// Project-specific lint rules, in plain JavaScript so ESLint loads them without a build.
import layers from './layers.js';
import noCycle from './no-cycle.js';

export default { meta: { name: 'eslint-plugin-reelay' }, rules: { layers, 'no-cycle': noCycle } };
