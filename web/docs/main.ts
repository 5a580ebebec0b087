import { h } from '../lib/dom.js';
document.getElementById('app')?.append(h('p', null, 'docs'));
