import { h, replace, uid } from '../lib/dom.js';

/** Where the image comes from: a local file (sent as a data URI) or a URL the server fetches. */
export type ImageSource = { kind: 'file'; name: string; type: string; dataUri: string } | { kind: 'url'; url: string };

export interface ImageInput {
  element: HTMLElement;
  source(): ImageSource | null;
  /** Frames the preview as the engine will: the chosen aspect ratio, centre-cropped. */
  setAspect(ratio: string): void;
  setFile(file: Blob, name: string): Promise<void>;
  onChange(listener: () => void): void;
  error: HTMLElement;
  focusTarget: HTMLElement;
}

const ACCEPT = 'image/jpeg,image/png,image/webp';

function readAsDataUri(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
    reader.readAsDataURL(file);
  });
}

/** The image field: file picker, drag and drop, paste, or URL, with a framed preview. */
export function imageInput(): ImageInput {
  let current: ImageSource | null = null;
  const listeners: (() => void)[] = [];
  const fileInput = h('input', { type: 'file', accept: ACCEPT, id: uid('image-file') });
  const urlInput = h('input', { type: 'url', id: uid('image-url'), placeholder: 'https://example.com/photo.jpg', autocomplete: 'off' });
  const status = h('p', { class: 'hint', 'aria-live': 'polite' }, 'No image yet.');
  const error = h('p', { class: 'field-error', role: 'alert' });
  const img = h('img', { alt: 'Preview of the first frame, cropped as the video will be' });
  img.hidden = true;
  const frame = h('div', { class: 'frame' }, img, h('span', { class: 'frame-empty' }, 'Drop an image here, pick a file, or paste one'));
  const drop = h('div', { class: 'dropzone', 'data-testid': 'dropzone' }, frame);

  const emit = (): void => listeners.forEach((l) => l());
  const setFile = async (file: Blob, name: string): Promise<void> => {
    if (!ACCEPT.split(',').includes(file.type)) {
      replace(error, `${name} is not a JPEG, PNG or WebP image.`);
      return;
    }
    replace(error);
    current = { kind: 'file', name, type: file.type, dataUri: await readAsDataUri(file) };
    urlInput.value = '';
    img.src = URL.createObjectURL(file);
    img.hidden = false;
    frame.classList.add('has-image');
    replace(status, `File: ${name} (${Math.round(file.size / 1024)} KB)`);
    emit();
  };

  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file) void setFile(file, file.name);
  });
  urlInput.addEventListener('input', () => {
    const url = urlInput.value.trim();
    current = url ? { kind: 'url', url } : null;
    img.hidden = true;
    frame.classList.remove('has-image');
    replace(status, url ? 'The server fetches this URL when you submit (no preview: this page loads no third-party images).' : 'No image yet.');
    emit();
  });
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('dragging');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('dragging');
    const file = e.dataTransfer?.files[0];
    if (file) void setFile(file, file.name);
  });
  document.addEventListener('paste', (e) => {
    const item = [...(e.clipboardData?.items ?? [])].find((i) => i.kind === 'file' && i.type.startsWith('image/'));
    const file = item?.getAsFile();
    if (file) {
      e.preventDefault();
      void setFile(file, file.name || 'pasted.png');
    }
  });

  const element = h(
    'fieldset',
    { class: 'image-input' },
    h('legend', null, 'Image (required)'),
    drop,
    h('div', { class: 'field' }, h('label', { for: fileInput.id }, 'Choose a file'), fileInput),
    h('div', { class: 'field' }, h('label', { for: urlInput.id }, 'Or an image URL'), urlInput),
    status,
    error,
  );
  return {
    element,
    source: () => current,
    setAspect(ratio) {
      const [w, h2] = ratio.split(':').map(Number);
      if (w && h2) frame.style.aspectRatio = `${w} / ${h2}`;
    },
    setFile,
    onChange: (l) => listeners.push(l),
    error,
    focusTarget: fileInput,
  };
}
