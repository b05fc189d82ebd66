/**
 * Dummy credentials and a region for the real SDK client, with nothing read from the developer's own AWS
 * configuration. Returns a function that restores the environment.
 */
export function useTestAwsEnvironment(extra: Record<string, string> = {}): () => void {
  const values: Record<string, string> = {
    AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST000000',
    AWS_SECRET_ACCESS_KEY: 'local-test-secret',
    AWS_REGION: 'ap-northeast-1',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
  const saved = new Map<string, string | undefined>();
  for (const name of [...Object.keys(values), 'AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_CONNECT', 'AWS_MAX_ATTEMPTS']) {
    saved.set(name, process.env[name]);
    delete process.env[name];
  }
  Object.assign(process.env, values);
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

export const INSTANCE_ARN = 'arn:aws:connect:ap-northeast-1:123456789012:instance/0f3c7a52-6d1e-4b8a-9c57-1e2f3a4b5c6d';
