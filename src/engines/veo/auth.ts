/**
 * Bearer tokens for Vertex AI and Cloud Storage. In production, Application Default Credentials
 * (google-auth-library's GoogleAuth) find them: GOOGLE_APPLICATION_CREDENTIALS pointing at a
 * service-account JSON, `gcloud auth application-default login` on a workstation, or the metadata
 * server on GCE/GKE/Cloud Run. GoogleAuth caches the token and refreshes it before expiry.
 */
export type AccessTokenProvider = () => Promise<string>;

const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';

/**
 * ADC through google-auth-library, loaded on first use (it ships as a dependency of
 * `@google/genai`), so a process that never calls Vertex never loads it.
 */
export function adcTokenProvider(): AccessTokenProvider {
  let auth: Promise<{ getAccessToken(): Promise<string | null | undefined> }> | undefined;
  return async () => {
    auth ??= import('google-auth-library').then((m) => new m.GoogleAuth({ scopes: [CLOUD_PLATFORM] }));
    const token = await (await auth).getAccessToken();
    if (!token) throw new Error('Application Default Credentials returned no access token');
    return token;
  };
}

/** A fixed token (e.g. `gcloud auth print-access-token`; expires after about an hour). For tests and quick trials. */
export function staticTokenProvider(token: string): AccessTokenProvider {
  return () => Promise.resolve(token);
}
