/** `reelay <command> --help` for the server, admin and operations commands (client pages: client/help.ts). */
const JSON_FLAG = `  --json                     machine-readable output on stdout (errors too: {"error", "hint"})\n`;
const ADMIN_REMOTE = `  --server URL --key KEY     act on a running server over HTTP with an admin key (REELAY_SERVER,
                             REELAY_API_KEY) instead of on the local data dir
${JSON_FLAG}`;

const serverPage = (what: string, usage: string): string => `Usage: reelay ${usage} [--json]

${what}
Settings come from the environment or reelay.config.json; "reelay --help" lists them.
Stop with Ctrl-C or SIGTERM: running renders get REELAY_SHUTDOWN_GRACE, the rest go back to the queue.
  --json                     print one JSON line when ready ({"status":"listening","role","url","admin_key"?})
`;

export const SERVER_HELP: Record<string, string> = {
  serve: serverPage(
    `Starts the API with an in-process worker (SQLite + local disk + the motion engine by default).
On first start it creates the admin account and prints its API key once.`,
    'serve',
  ),
  api: serverPage('Starts the HTTP API only, no worker: scale-out with DATABASE_URL and REELAY_S3_BUCKET.', 'api'),
  worker: serverPage('Starts a worker only: claims and renders requests; serves /healthz, /readyz and /metrics on REELAY_PORT.', 'worker'),
  migrate: `Usage: reelay migrate [--json]

Brings the database schema up to date and exits (every start does this too, under a lock).
${JSON_FLAG}`,
  accounts: `Usage: reelay accounts <create|list|show|limits|requests> ...

  accounts create NAME       [--credits N] [--rpm N] [--inflight N]
  accounts list              [--limit N] [--after CURSOR]
  accounts show ACCOUNT
  accounts limits ACCOUNT    [--rpm N|none] [--inflight N|none]   (none = the global default)
  accounts requests ACCOUNT  [--status QUEUED|PROCESSING|COMPLETED|FAILED] [--from ISO] [--to ISO] [--limit N] [--after CURSOR]
ACCOUNT is an account id or name. Prints the JSON answer of the admin API.
${ADMIN_REMOTE}`,
  keys: `Usage: reelay keys <create|list|revoke> ...

  keys create                [--account ACCOUNT] [--label TEXT] [--scopes generate,read,admin] [--expires ISO]
                             (default account: admin; default scopes: generate,read; the key is printed once)
  keys list ACCOUNT
  keys revoke KEY_ID
${ADMIN_REMOTE}`,
  credits: `Usage: reelay credits <grant|deduct|ledger> ...

  credits grant ACCOUNT N    --reason TEXT
  credits deduct ACCOUNT N   --reason TEXT   (below 0 is refused)
  credits ledger ACCOUNT     [--limit N] [--after CURSOR]
${ADMIN_REMOTE}`,
  backup: `Usage: reelay backup FILE [--json]

Writes a consistent copy of the embedded store (the SQLite database, taken online with SQLite's
backup API, and the blob directory) into FILE, a .tar archive, while the server keeps serving.
FILE is relative to the directory you run the command in. PostgreSQL + S3 installations use their
own backup tools (pg_dump, bucket versioning); the command says so.
${JSON_FLAG}`,
  restore: `Usage: reelay restore FILE [--force] [--json]

Restores a backup made by "reelay backup" into the data dir (REELAY_DATA_DIR, default ./data).
Stop the server first. The data dir must be empty or absent unless --force is given, which
replaces its database and blobs.
${JSON_FLAG}`,
  doctor: `Usage: reelay doctor [--json]

Checks the installation and says what is wrong and how to fix it: the settings, ffmpeg and
ffprobe, the data dir (permissions, free space), the store and blob store, and each configured
engine's upstream (Google, Segmind, ...). Exits 1 when a check fails.
${JSON_FLAG}`,
  help: `Usage: reelay help [COMMAND]

Prints every command and setting, or one command's page.
`,
};
