import { dirname, resolve } from 'node:path';

/**
 * The directory the user typed the command in. `npm run reelay -- ...` runs in the package root
 * and keeps the user's directory in INIT_CWD; a path like `photo.png` means the user's file, not
 * one in the checkout. Only when npm really moved us (cwd is this package's root) is INIT_CWD
 * used: a `reelay` started by some other npm script elsewhere keeps its own cwd.
 */
export function userDir(env: NodeJS.ProcessEnv = process.env): string {
  const cwd = process.cwd();
  const movedByNpm = env.INIT_CWD && env.npm_package_name === 'reelay' && env.npm_package_json && dirname(env.npm_package_json) === cwd;
  return movedByNpm ? resolve(env.INIT_CWD as string) : cwd;
}

/** A path the user gave on the command line, made absolute against the directory they ran it from. */
export function userPath(path: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(userDir(env), path);
}
