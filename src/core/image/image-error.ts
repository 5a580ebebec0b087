/**
 * Thrown for every problem with the submitted image. `message` is a sentence for the
 * client that says what is wrong and what is allowed; the API layer puts it in the
 * `image` entry of a 400's `details`.
 */
export class ImageInputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImageInputError';
  }
}
