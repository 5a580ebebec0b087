/**
 * Where a page keeps the API key: sessionStorage (gone when the tab closes) unless the person
 * asks to be remembered, then localStorage. Never in a URL or a cookie; it travels as a header.
 */
export interface KeyStore {
  get(): string | null;
  remembered(): boolean;
  set(key: string, remember: boolean): void;
  clear(): void;
}

export function keyStore(name: string): KeyStore {
  return {
    get: () => sessionStorage.getItem(name) ?? localStorage.getItem(name),
    remembered: () => localStorage.getItem(name) !== null,
    set(key, remember) {
      sessionStorage.removeItem(name);
      localStorage.removeItem(name);
      (remember ? localStorage : sessionStorage).setItem(name, key);
    },
    clear() {
      sessionStorage.removeItem(name);
      localStorage.removeItem(name);
    },
  };
}

/** Shows the start of a key only, for screens and screenshots. */
export function maskKey(key: string): string {
  return key.length <= 8 ? '••••' : `${key.slice(0, 6)}••••••••`;
}
