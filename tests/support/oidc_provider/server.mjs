// A real OpenID Connect provider (panva/oidc-provider) for Charter's SSO tests.
//
// It listens on 127.0.0.1 on a port the OS picks, prints one line `LISTENING <port>` on stdout and
// exits on SIGTERM or when its parent process goes away. Everything is in memory.
//
// Test-only conveniences (the protocol endpoints themselves are the library's own):
// * Dynamic Client Registration (RFC 7591) at /reg is open, so each test registers its own client
//   with the redirect URI of the connection it is testing.
// * The interaction (login page) is headless: POST /interaction/<uid>/login with a form field
//   `account` holding JSON {"sub": ..., "claims": {...}, "faults": {...}} signs that account in and
//   grants the requested scopes in one step (no consent screen).
// * `faults` lets a test make the provider misbehave for that login only, e.g.
//   {"id_token": {"aud": "someone-else"}} or {"id_token": {"iss": "http://evil.example"}} or
//   {"id_token": {"exp_offset": -3600}}: the ID token in the token response is re-signed with the
//   provider's own key after the claim is changed, exactly what a broken or hostile IdP would send.
import * as crypto from 'node:crypto';
import * as http from 'node:http';

import { Provider } from 'oidc-provider';

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingJwk = { ...privateKey.export({ format: 'jwk' }), kid: 'charter-test-key', alg: 'RS256', use: 'sig' };

const accounts = new Map(); // sub -> { claims, faults }

function readBody(req, limit = 64 * 1024) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function b64url(input) {
  return Buffer.from(input).toString('base64url');
}

function resign(idToken, changes) {
  const [headerPart, payloadPart] = idToken.split('.');
  const header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8'));
  const payload = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
  for (const [key, value] of Object.entries(changes)) {
    if (key === 'exp_offset') {
      const now = Math.floor(Date.now() / 1000);
      payload.iat = now + value - 60;
      payload.exp = now + value;
    } else {
      payload[key] = value;
    }
  }
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = crypto.sign('sha256', Buffer.from(signingInput), privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

const server = http.createServer();

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;

  const provider = new Provider(issuer, {
    jwks: { keys: [signingJwk] },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      groups: ['groups'],
    },
    scopes: ['openid', 'offline_access', 'email', 'profile', 'groups'],
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true, initialAccessToken: false },
    },
    pkce: { required: () => true },
    interactions: {
      url(ctx, interaction) {
        return `/interaction/${interaction.uid}`;
      },
    },
    async findAccount(ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        async claims() {
          return { ...account.claims, sub };
        },
      };
    },
  });

  // Headless login + consent.
  provider.use(async (ctx, next) => {
    const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(ctx.path);
    if (!match) {
      await next();
      return;
    }
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (!match[2] || ctx.method !== 'POST') {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>Test IdP</title><form method="post" action="/interaction/${details.uid}/login">`
        + '<textarea name="account"></textarea><button>Sign in</button></form>';
      return;
    }
    const form = new URLSearchParams(await readBody(ctx.req));
    let account;
    try {
      account = JSON.parse(form.get('account') || '');
    } catch {
      ctx.status = 400;
      ctx.body = 'account must be JSON';
      return;
    }
    if (!account || typeof account.sub !== 'string' || !account.sub) {
      ctx.status = 400;
      ctx.body = 'account.sub is required';
      return;
    }
    accounts.set(account.sub, { claims: account.claims || {}, faults: account.faults || {} });
    const grant = new provider.Grant({ accountId: account.sub, clientId: details.params.client_id });
    grant.addOIDCScope(String(details.params.scope || 'openid'));
    const grantId = await grant.save();
    const returnTo = await provider.interactionResult(
      ctx.req,
      ctx.res,
      { login: { accountId: account.sub }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
    ctx.status = 303;
    ctx.redirect(returnTo);
  });

  // Deliberate faults in the token response, per account.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path !== '/token' || ctx.status !== 200 || !ctx.body || typeof ctx.body !== 'object') return;
    const idToken = ctx.body.id_token;
    if (!idToken) return;
    const payload = JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString('utf8'));
    const account = accounts.get(payload.sub);
    const changes = account && account.faults && account.faults.id_token;
    if (changes && Object.keys(changes).length) {
      ctx.body = { ...ctx.body, id_token: resign(idToken, changes) };
    }
  });

  server.on('request', provider.callback());
  process.stdout.write(`LISTENING ${port}\n`);
});

// Lifetime: the test run stops it with SIGTERM; if the test process dies first, the provider notices
// that it was re-parented and exits, so a crashed run never leaves it behind. (Not tied to stdin: a
// harness that hands the test run an odd stdin must not be able to end the provider early.)
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) process.exit(0);
}, 500).unref();
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.on(signal, () => process.exit(0));
}
