import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSecretDetector } from '../../src/pii/secrets/index.ts';
import { fakeToken, spansOf } from './helpers.ts';

const detector = createSecretDetector();
const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function found(text: string): Array<{ subtype: string | undefined; value: string }> {
  return spansOf(detector, text).map((span) => ({ subtype: span.subtype, value: span.value }));
}

describe('SECRET detector: keyword-assigned values', () => {
  const key = fakeToken('', 32);
  const awsSecret = fakeToken('', 40, base64, 3);
  const positives: Array<[format: string, text: string, subtype: string, value: string]> = [
    ['.env', `SECRET_TOKEN=${key}`, 'assigned_secret', key],
    ['.env with export', `export STRIPE_API_KEY="${key}"`, 'assigned_secret', key],
    ['YAML', `database:\n  password: Tr0ub4dor&3\n  host: db`, 'password', 'Tr0ub4dor&3'],
    ['YAML quoted', `api_key: '${key}'`, 'assigned_secret', key],
    ['JSON', `{"client_secret": "${key}", "id": 1}`, 'assigned_secret', key],
    ['JSON inside a JSON string', `{\\"apiKey\\":\\"${key}\\"}`, 'assigned_secret', key],
    ['Python kwarg', `client = Client(api_key="${key}")`, 'assigned_secret', key],
    ['Python annotated', `password: str = "c0rrect-h0rse"`, 'password', 'c0rrect-h0rse'],
    ['Go', `accessKey := "${key}"`, 'assigned_secret', key],
    ['Ruby hash rocket', `:auth_token => '${key}'`, 'assigned_secret', key],
    ['comparison', `if (pwd === "s3cr3t-Value") {`, 'password', 's3cr3t-Value'],
    ['HTTP header', `X-Api-Key: ${key}`, 'assigned_secret', key],
    ['AWS secret access key', `aws_secret_access_key = ${awsSecret}`, 'aws_secret_access_key', awsSecret],
    ['AWS JSON from STS', `"SecretAccessKey": "${awsSecret}"`, 'aws_secret_access_key', awsSecret],
    ['prose, sentence end', `the db password is: x7Rk2pQ9.`, 'password', 'x7Rk2pQ9'],
    ['prose without colon', `my password is Xy7-kq9!mZ now`, 'password', 'Xy7-kq9!mZ'],
    ['a passphrase', `passphrase = "correct horse battery staple"`, 'password', 'correct horse battery staple'],
    ['a UUID-valued API key starting with a letter', 'HEROKU_API_KEY=d5021729-190d-4b8e-9a3c-5c1e0f7b2a44', 'assigned_secret', 'd5021729-190d-4b8e-9a3c-5c1e0f7b2a44'],
    ['an AWS secret key starting with /', `aws_secret_access_key = /${awsSecret.slice(1).replaceAll('+', 'x')}`, 'aws_secret_access_key', `/${awsSecret.slice(1).replaceAll('+', 'x')}`],
    ['the aws configure prompt', `$ aws configure\nAWS Access Key ID [None]: \nAWS Secret Access Key [None]: ${awsSecret}\nDefault region name [None]: eu-west-1`, 'aws_secret_access_key', awsSecret],
    ['docker login -p', 'docker login -u deploy -p Xy7-kq9!mZ registry.example.com', 'cli_password', 'Xy7-kq9!mZ'],
    ['docker login --password', "docker login --username deploy --password 'Xy7-kq9!mZ' ghcr.io", 'cli_password', 'Xy7-kq9!mZ'],
    ['mysql -p glued', 'mysql -h db.internal -u root -pfvCdUsoJRzeluvYB shop', 'cli_password', 'fvCdUsoJRzeluvYB'],
    ['mysql -p glued, starting with a dash', 'mysqldump -u root -p-~JdkG~M7Rh4pvti shop > dump.sql', 'cli_password', '-~JdkG~M7Rh4pvti'],
    ['curl -u user:password', 'curl -u "admin:Tr0ub4dor&3x" https://api.example.com/v1', 'cli_password', 'Tr0ub4dor&3x'],
  ];
  for (const [format, text, subtype, value] of positives) {
    it(`finds the value in ${format}`, () => assert.deepEqual(found(text), [{ subtype, value }]));
  }

  it('finds bearer and basic credentials in headers', () => {
    const bearer = fakeToken('', 40, base64, 9);
    assert.deepEqual(found(`Authorization: Bearer ${bearer}`), [{ subtype: 'bearer_token', value: bearer }]);
    const basic = Buffer.from('alice:wonderland').toString('base64');
    assert.deepEqual(found(`Authorization: Basic ${basic}`), [{ subtype: 'basic_auth', value: basic }]);
  });

  it('reports SECRET_TOKEN=… once although it holds two keywords', () => {
    assert.equal(found(`SECRET_TOKEN=${key}`).length, 1);
  });

  const negatives: Array<[reason: string, text: string]> = [
    ['the placeholder password = "password"', 'password = "password"'],
    ['a short password', 'password: hunter2'],
    ['a single-class password', 'password: correcthorsebattery'],
    ['prose with "is" and a plain word', 'the password is required'],
    ['a variable reference', 'api_key: ${API_KEY}'],
    ['a shell reference', 'SECRET_TOKEN=$SECRET_TOKEN'],
    ['a template', 'password: "{{ vault.db_password }}"'],
    ['an environment lookup', 'api_key = os.environ["OPENAI_API_KEY"]'],
    ['a function call', 'token = get_token(user)'],
    ['a property access', 'password = config.database.password'],
    ['a bare variable', 'password = userPassword'],
    ['an angle-bracket placeholder', 'api_key: <your-api-key>'],
    ['an example value', `api_key: "example-${fakeToken('', 16)}"`],
    ['masked stars', 'password: "********"'],
    ['a TypeScript type', 'token: string;'],
    ['a number', 'max_tokens: 4096'],
    ['a timestamp', 'token_expires_at: 2026-11-29T12:30:45Z'],
    ['a kebab-case name', 'secret_name: my-app-database-credentials'],
    ['a URL (URL_CREDENTIALS owns those)', 'token_url: https://auth.internal/oauth/token?x=1'],
    ['a path', 'password_file: /run/secrets/db_password'],
    ['prose without assignment', 'Keep your secret safe and never share a token.'],
    ['an empty value', 'password=""'],
    ['null', 'secret: null'],
    ['a short non-password value', 'token: ab12cd'],
    ['a method call on this', 'var token = this$1$1.getToken();'],
    ['an indexing expression', 'credentialsFile: parsedFiles[1],'],
    ['an arrow function', 'const releaseRetryTokens = (capacityReleaseAmount) => {'],
    ['a header-name constant', 'const X_AWS_EC2_METADATA_TOKEN = "x-aws-ec2-metadata-token";'],
    ['a mixed-case header name', 'const CREDENTIAL_QUERY_PARAM = "X-Amz-Credential";'],
    ['optional chaining', 'credentialDefaultProvider: config?.credentialDefaultProvider ?? x'],
    ['a class name with a digit', 'exports.CreateOAuth2TokenCommand = CreateOAuth2TokenCommand;'],
    ['prose naming a source', 'credential_source is Ec2InstanceMetadata'],
    ['a quoted path', '"PWD": "/Users/maciej"'],
    ['a sentence', "const password = 'Password used to generate key';"],
    ['an environment variable name', 'const ENV_CREDENTIALS_PATH = "AWS_SHARED_CREDENTIALS_FILE";'],
    ['a pagination token', '{"next_page_token": "eyJvZmZzZXQiOjQyMTMsInRzIjoxNzAwMDAwMDAwfQ=="}'],
    ['camelCase and AWS pagination tokens', `nextPageToken: "${key}", "NextContinuationToken": "${key}", "NextToken": "${key}"`],
    ['docker login reading stdin', 'docker login -u deploy --password-stdin registry.example.com < ~/.docker-token'],
    ['docker login with a shell variable', 'docker login -u deploy -p "$REGISTRY_PASSWORD" registry.example.com'],
    ['mysql prompting for the password', 'mysql -h db.internal -u root -p shop'],
    ['mysql with a command substitution', 'mysql -u root -p"$(cat ~/.mysql-pw)" shop'],
    ['curl -u without a password (prompt)', 'curl -u admin https://api.example.com/v1'],
    ['the aws configure prompt left empty', 'AWS Secret Access Key [None]: \nDefault region name [None]: eu-west-1'],
  ];
  for (const [reason, text] of negatives) {
    it(`ignores ${reason}`, () => assert.deepEqual(found(text), []));
  }
});
