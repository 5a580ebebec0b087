import { CLIENT_HELP } from './client/help.js';

export const HELP = `Usage: reelay <command> [options]

Server:
  serve                      Start the API server with an in-process worker (SQLite + local disk + motion engine).
                             On first start, creates the admin account and API key and prints the key once.
                             Also serves the web pages: / (playground), /console (admin key), /docs (API docs).
  api                        Start the API only (no worker); for scale-out with DATABASE_URL.
  worker                     Start a worker only; serves /healthz, /readyz and /metrics on REELAY_PORT.
  migrate                    Bring the database schema up to date and exit (start-up does this too).

Operations (embedded SQLite + local disk):
  backup FILE                Online, consistent backup of the database and blobs into FILE (a .tar), while serving.
  restore FILE               Restore a backup into the (stopped) server's data dir [--force to replace one].
  doctor                     Check settings, ffmpeg, data dir, store, blobs and engine upstreams; say how to fix what fails.

Accounts, keys and credits (on the local data dir, or on a running server with --server URL --key ADMIN_KEY):
  accounts create NAME       [--credits N] [--rpm N] [--inflight N]
  accounts list              [--limit N] [--after CURSOR]
  accounts show ACCOUNT
  accounts limits ACCOUNT    [--rpm N|none] [--inflight N|none]   (none = use the global default)
  accounts requests ACCOUNT  [--status QUEUED|PROCESSING|COMPLETED|FAILED] [--from ISO] [--to ISO] [--limit N] [--after CURSOR]
  keys create                [--account ACCOUNT] [--label TEXT] [--scopes generate,read,admin] [--expires ISO]
                             (default account: admin; default scopes: generate,read; admin only on the admin
                             account; the key is printed once)
  keys list ACCOUNT
  keys revoke KEY_ID
  credits grant ACCOUNT N    --reason TEXT
  credits deduct ACCOUNT N   --reason TEXT
  credits ledger ACCOUNT     [--limit N] [--after CURSOR]
  ACCOUNT is an account id or name.

${CLIENT_HELP.trimEnd()}

  help [COMMAND]             Show this help, or one command's page (also: reelay COMMAND --help).

Every command takes --json for machine-readable output on stdout. Through npm, use
"npm run --silent reelay -- COMMAND" so npm's banner stays off stdout.

Settings (environment, or reelay.config.json / REELAY_CONFIG):
  REELAY_PORT (or PORT)      port to listen on (default 8080)
  REELAY_HOST                address to bind (default 0.0.0.0)
  REELAY_DATA_DIR            where the database and files live (default ./data)
  REELAY_PUBLIC_URL          base of the URLs handed to clients (default: from the request's Host)
  REELAY_BOOTSTRAP_KEY       on first start, use this string as the admin key instead of a generated one
  REELAY_BOOTSTRAP_CREDITS   credits granted to the admin account on first start (default 1000000)
  REELAY_RETENTION           how long results are kept, e.g. 1h, 30m (default 1h)
  REELAY_SYNC_TIMEOUT        how long POST /v1 waits for the video (default 600s)
  REELAY_SUBMIT_PER_MINUTE   submits per minute per key (default 60)
  REELAY_POLL_PER_MINUTE     status/result reads per minute per key (default 1200)
  REELAY_MAX_INFLIGHT        queued + processing requests per account (default 20)
  REELAY_EMULATOR_FAULTS     true to honour the x-reelay-fault header (default false; on/off settings take
                             true/false, 1/0, yes/no, on/off and refuse anything else)
  REELAY_METRICS_TOKEN       bearer token that opens /metrics to a scraper (otherwise admin keys only)
  REELAY_CORS_ORIGINS        comma-separated browser origins allowed to call the API, or * (default none)
  REELAY_BODY_BUDGET         bytes of submit bodies held at once; past it 503 server_busy (default 96 MiB)
  REELAY_WEBHOOK_RETRY_FOR   how long failed webhook deliveries are retried (default 24h)
  REELAY_WEBHOOK_ALLOW_LIST  comma-separated CIDRs or hosts webhooks may reach despite the private-address guard
                             (ports 80 and 443 only, unless an entry says :PORT or :*)
  REELAY_OPENAI_DEFAULT_MODEL  the model behind OpenAI model names at /openai/v1 (default veo-2-image2video;
                             doors.openai.models / doors.gemini.models in the config file map single names)
  REELAY_QUEUE_TIMEOUT       a request still QUEUED after this fails with code timeout (default 24h)
  REELAY_WORKER_CONCURRENCY  renders at once (default: cores / 2)
  REELAY_IMAGE_ALLOW_LIST    comma-separated CIDRs or hosts that image URLs may reach despite the private-address guard
                             (ports 80 and 443 only, unless an entry says :PORT or :*)
  REELAY_LOG_LEVEL           fatal|error|warn|info|debug|trace|silent (default info)
  GEMINI_API_KEY             serve veo-2-image2video with Google's Veo 2 (Gemini API); REELAY_VEO_VERTEX_PROJECT for Vertex AI
  SEGMIND_API_KEY            enable the segmind pass-through engine for models configured with "engine": "segmind"
  REELAY_COMFYUI_HEALTH_INTERVAL, REELAY_COMFYUI_QUIET_INTERVAL   ComfyUI server probe interval (default 10s) and how long
                             a silent WebSocket is trusted before /history is read (default 5s); servers and models
                             of the comfyui engine are set in the config file (README, "Self-hosted models with ComfyUI")
  DATABASE_URL               postgres://... to use PostgreSQL instead of SQLite (REELAY_DATABASE_SCHEMA picks the schema)
  REELAY_SERVER, REELAY_API_KEY   server URL and API key of the client commands, and of the admin commands over HTTP
`;
