/** The client commands' part of `reelay --help`; each command's own help is below. */
export const CLIENT_HELP = `Client (talks to a Reelay or Segmind-compatible server; --server URL or REELAY_SERVER,
default http://127.0.0.1:8080; --key KEY or REELAY_API_KEY):
  generate IMAGE_OR_URL      Make a video from a local image file (sent as a data URI) or an image URL:
                             [--prompt TEXT] [--duration 5|6|7|8] [--aspect 16:9|9:16] [--seed N]
                             [--model SLUG] [--out FILE] [--no-wait] [--json] [--timeout SECONDS]
                             Shows progress, saves the video (default: REQUEST_ID.mp4), exits 1 if it fails.
                             Ctrl-C while waiting asks whether to cancel the request or leave it running.
  status ID                  Show a request's status [--json]
  wait ID                    Wait for a request and save its video [--out FILE] [--json] [--timeout SECONDS]
  cancel ID                  Cancel a QUEUED or PROCESSING request [--json]
`;

const COMMON = `  --server URL               server (default: REELAY_SERVER, else http://127.0.0.1:8080)
  --key KEY                  API key (default: REELAY_API_KEY)
  --json                     print the JSON answer on stdout instead of a summary
`;

export const COMMAND_HELP: Record<string, string> = {
  generate: `Usage: reelay generate IMAGE_OR_URL [options]

Submits a veo-2-image2video request, waits for it with live progress (status, queue position,
ETA), and saves the video. IMAGE_OR_URL is a local JPEG/PNG/WebP file or an http(s):// URL.

  --prompt TEXT              what should happen (default "")
  --duration 5|6|7|8         seconds (default 5)
  --aspect 16:9|9:16         frame shape (default 16:9)
  --seed N                   0 to 4294967295 (default: random, reported back)
  --model SLUG               model (default veo-2-image2video)
  --out FILE                 where to save the video (default: REQUEST_ID.mp4)
  --no-wait                  print the request id and exit; fetch later with "reelay wait ID"
  --timeout SECONDS          stop waiting after this long (the request goes on); exit 1
  --mode auto|sse|longpoll|poll   how to wait (default auto: push when the server offers it)
  --fault KIND               ask an emulator (REELAY_EMULATOR_FAULTS=true) to end the request as
                             content_blocked, engine_error, timeout or slow; to test error handling
${COMMON}
Ctrl-C while waiting asks whether to cancel the request or leave it running (without a terminal
it is left running) and prints the request id either way.
`,
  wait: `Usage: reelay wait ID [--out FILE] [--timeout SECONDS] [--mode auto|sse|longpoll|poll] [--json] [--server URL] [--key KEY]

Waits for a request submitted earlier, with live progress, and saves its video (default: ID.mp4).
Exits 1 if the request failed.
${COMMON}`,
  status: `Usage: reelay status ID [--json] [--server URL] [--key KEY]

Shows a request's status: QUEUED (with queue position), PROCESSING (with progress and ETA),
COMPLETED or FAILED (with the error).
${COMMON}`,
  cancel: `Usage: reelay cancel ID [--json] [--server URL] [--key KEY]

Cancels a QUEUED or PROCESSING request: it ends FAILED with code "canceled" and is refunded.
Exits 1 if the request had already finished.
${COMMON}`,
};
