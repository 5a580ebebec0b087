import { ApiProblem, explain } from '../lib/api.js';
import { h, replace, uid } from '../lib/dom.js';
import type { HistoryItem } from './history.js';
import { imageInput, type ImageSource } from './image-input.js';
import { schemaForm, type ObjectSchema } from './schema-form.js';
import { snippetPanel } from './snippet-panel.js';
import { MOTION_LABEL, timeline } from './timeline.js';

/** One entry of `GET /v1/models`. */
export interface Model {
  slug: string;
  name: string;
  engine: string;
  engine_note: string | null;
  generative: boolean | null;
  price: { currency: string; per_second: number; per_request: number };
  parameters_schema: ObjectSchema;
}

export interface ModelPageOptions {
  key: string;
  model: Model;
  onKeyRefused(): void;
  onSubmitted(): void;
}

const FAULTS = ['', 'slow', 'engine_error', 'content_blocked', 'timeout'];

function imageValue(source: ImageSource): string {
  return source.kind === 'file' ? source.dataUri : source.url;
}

/** A model's page: the form generated from its schema, the price, submit, the timelines, "Copy as". */
export function modelPage(opts: ModelPageOptions): { element: HTMLElement; rerun(item: HistoryItem, image: Blob): Promise<void> } {
  const { model } = opts;
  const form = schemaForm(model.parameters_schema);
  const image = imageInput();
  const cost = h('p', { class: 'cost', 'aria-live': 'polite', 'data-testid': 'cost' });
  const message = h('div', { class: 'message', role: 'alert' });
  const runs = h('div', { class: 'runs' });
  const fault = h('select', { id: uid('fault') }, ...FAULTS.map((f) => h('option', { value: f }, f || 'none')));
  const submit = h('button', { type: 'submit' }, 'Generate video');
  const snippets = snippetPanel();

  const update = (): void => {
    const values = form.values();
    const seconds = typeof values.duration === 'number' ? values.duration : 0;
    const price = model.price.per_request + model.price.per_second * seconds;
    replace(cost, `Cost: ${price} ${model.price.currency}`);
    if (typeof values.aspect_ratio === 'string') image.setAspect(values.aspect_ratio);
    snippets.update({ base: location.origin, model: model.slug, key: opts.key, image: image.source(), params: values });
  };
  form.onChange(update);
  image.onChange(update);

  const send = async (): Promise<void> => {
    form.markErrors([]);
    replace(message);
    replace(image.error);
    const source = image.source();
    if (!source) {
      replace(image.error, 'Choose, drop or paste an image, or give its URL.');
      image.focusTarget.focus();
      return;
    }
    submit.disabled = true;
    try {
      const headers: Record<string, string> = { 'x-api-key': opts.key, 'content-type': 'application/json' };
      if (fault.value) headers['x-reelay-fault'] = fault.value;
      const res = await fetch(`/v2/${encodeURIComponent(model.slug)}`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ image: imageValue(source), ...form.values() }),
        credentials: 'omit',
      });
      const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if (!res.ok) {
        const retry = Number(res.headers.get('retry-after'));
        throw new ApiProblem(res.status, String(body.code ?? 'error'), String(body.error ?? `HTTP ${res.status}`), body, retry > 0 ? retry : null);
      }
      const credits = res.headers.get('x-remaining-credits');
      if (credits !== null) replace(message, h('p', { class: 'hint' }, `Submitted. ${credits} credits left.`));
      runs.prepend(timeline({ key: opts.key, requestId: String(body.request_id), onFinished: opts.onSubmitted }));
      opts.onSubmitted();
    } catch (err) {
      showError(err);
    } finally {
      submit.disabled = false;
    }
  };

  const showError = (err: unknown): void => {
    if (err instanceof ApiProblem && err.status === 401) opts.onKeyRefused();
    if (err instanceof ApiProblem && err.status === 400) {
      form.markErrors(err.details);
      const imageProblem = err.details.find((d) => d.field === 'image');
      if (imageProblem) replace(image.error, imageProblem.message);
    }
    const title = err instanceof ApiProblem ? `${err.status} ${err.code}` : 'Error';
    replace(message, h('div', { class: 'error', 'data-testid': 'submit-error' }, h('strong', null, title), ': ', explain(err)));
  };

  const formEl = h('form', { class: 'card model-form', novalidate: true, 'aria-labelledby': 'model-title' }, image.element, form.element);
  formEl.append(
    h(
      'details',
      { class: 'advanced' },
      h('summary', null, 'Testing'),
      h('div', { class: 'field' }, h('label', { for: fault.id }, 'Emulator fault (only when the server enables REELAY_EMULATOR_FAULTS)'), fault),
    ),
    cost,
    submit,
    message,
  );
  formEl.addEventListener('submit', (e) => {
    e.preventDefault();
    void send();
  });

  const engineLine = model.engine === 'motion' ? `Engine: motion (${MOTION_LABEL})` : `Engine: ${model.engine}`;
  const element = h(
    'article',
    { class: 'model-page' },
    h('h2', { id: 'model-title' }, model.name),
    h('p', { class: 'engine', 'data-testid': 'engine-label' }, engineLine),
    model.engine_note ? h('p', { class: 'hint' }, model.engine_note) : null,
    h('div', { class: 'columns' }, formEl, h('div', { class: 'side' }, runs, snippets.element)),
  );
  update();
  return {
    element,
    async rerun(item, blob) {
      const type = blob.type || 'image/png';
      await image.setFile(blob, `${item.request_id}.${type.split('/')[1] ?? 'png'}`);
      form.fill(item.params);
      formEl.scrollIntoView();
      await send();
    },
  };
}
