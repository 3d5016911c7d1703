// A real OpenID provider for the sign-in tests: the certified npm package `oidc-provider`, with a small login
// form of its own instead of the package's development interactions, and a /test/ door through which the
// tests (tests/auth/conftest.py) change a person's groups, rotate the signing key and bend the ID tokens it
// issues (another audience, an expiry in the past, another nonce, a key it does not publish).
//
//   node tests/auth/oidc_provider.mjs <port> '<settings as JSON: {"clients": [...], "accounts": {...}}>'
import { randomUUID } from 'node:crypto';
import http from 'node:http';

import { SignJWT, decodeJwt, exportJWK, generateKeyPair, importJWK } from 'jose';
import Provider from 'oidc-provider';

const [port, rawSettings] = process.argv.slice(2);
const settings = JSON.parse(rawSettings);
const issuer = `http://127.0.0.1:${port}`;
const CLAIMS = ['email', 'email_verified', 'name', 'given_name', 'family_name', 'groups'];

let accounts = new Map(Object.entries(settings.accounts));
let keys = [await newKey()]; // the provider publishes and signs with these; a rotation replaces them
let bend = {}; // how the next ID tokens are changed: {claims, foreignKey, idToken}
let lastIdToken = null;
const requests = []; // method and path of every request, for the tests to check what reached the provider
let provider;
let handle;

/** A new RS256 signing key with a fresh key id. */
async function newKey() {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

/** The claims of an account, as the provider releases them per scope. */
function account(ctx, sub) {
  const found = accounts.get(sub);
  if (!found) return undefined;
  return {
    accountId: sub,
    claims: async () => ({ sub, ...Object.fromEntries(CLAIMS.filter((c) => c in found).map((c) => [c, found[c]])) }),
  };
}

/** The client is first-party: every scope it asks for is granted without a consent page. */
async function grantAll(ctx) {
  const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
  grant.addOIDCScope(ctx.oidc.params.scope || 'openid');
  await grant.save();
  return grant;
}

/** The provider's own logout question, as plain accessible HTML. */
async function logoutSource(ctx, form) {
  ctx.body = `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Logga ut</title></head><body><main>
    <h1>Vill du logga ut från kommunens inloggning?</h1>${form}
    <button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, logga ut</button>
    <button type="submit" form="op.logoutForm">Nej</button></main></body></html>`;
}

/** Change the ID token of a token response as the tests asked, signing it again. */
async function bent(idToken) {
  if (bend.idToken) return bend.idToken;
  const payload = decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  for (const [claim, value] of Object.entries(bend.claims || {})) {
    if (value === null) delete payload[claim];
    else payload[claim] = value?.fromNow !== undefined ? now + value.fromNow : value;
  }
  const key = bend.foreignKey ? await newKey() : keys[0];
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(await importJWK(key, 'RS256'));
}

/** Middleware: remember each ID token issued, and bend it when the tests asked for that. */
async function bendIdTokens(ctx, next) {
  await next();
  if (ctx.path === '/token' && ctx.body?.id_token) {
    lastIdToken = ctx.body.id_token;
    if (bend.claims || bend.foreignKey || bend.idToken) ctx.body = { ...ctx.body, id_token: await bent(ctx.body.id_token) };
  }
}

/** A provider with the current keys and clients (built again when the keys rotate). */
function build() {
  const built = new Provider(issuer, {
    clients: settings.clients.map((c) => ({ grant_types: ['authorization_code'], response_types: ['code'], ...c })),
    jwks: { keys },
    findAccount: account,
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'given_name', 'family_name', 'groups'] },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true, logoutSource } },
    pkce: { required: () => true },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    loadExistingGrant: grantAll,
    cookies: { keys: ['dialogcafe-test-provider'] },
    conformIdTokenClaims: settings.conformIdTokenClaims ?? true,
  });
  built.use(bendIdTokens);
  provider = built;
  handle = built.callback();
}

/** The login page of an interaction. */
function loginPage(uid, failed) {
  return `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Kommunens inloggning</title></head>
    <body><main><h1>Kommunens inloggning</h1>${failed ? '<p role="alert">Fel användarnamn eller lösenord.</p>' : ''}
    <form method="post" action="/interaction/${uid}/login">
      <label for="login">Användarnamn</label> <input id="login" name="login" autocomplete="username">
      <label for="password">Lösenord</label> <input id="password" name="password" type="password" autocomplete="current-password">
      <button type="submit">Logga in</button>
    </form></main></body></html>`;
}

/** The whole body of a request as text. */
async function body(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

function reply(res, status, content, type = 'application/json') {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(type === 'application/json' ? JSON.stringify(content) : content);
}

/** The login interaction: show the form, check the password, hand the account back to the provider. */
async function interaction(req, res, path) {
  const [, , uid, step] = path.split('/');
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return reply(res, 400, 'wrong interaction', 'text/plain');
  if (req.method === 'GET') return reply(res, 200, loginPage(uid, false), 'text/html; charset=utf-8');
  const form = new URLSearchParams(await body(req));
  const found = accounts.get(form.get('login') || '');
  if (step !== 'login' || !found || found.password !== form.get('password')) {
    return reply(res, 401, loginPage(uid, true), 'text/html; charset=utf-8');
  }
  return provider.interactionFinished(req, res, { login: { accountId: form.get('login') } }, { mergeWithLastSubmission: false });
}

/** The tests' door: groups, keys, bent tokens and what was requested. */
async function admin(req, res, path) {
  const input = req.method === 'GET' ? {} : JSON.parse((await body(req)) || '{}');
  if (path === '/test/reset') {
    accounts = new Map(Object.entries(settings.accounts));
    bend = {};
    requests.length = 0;
  } else if (path.startsWith('/test/accounts/')) {
    const id = decodeURIComponent(path.slice('/test/accounts/'.length));
    accounts.set(id, { ...(accounts.get(id) || {}), ...input });
  } else if (path === '/test/rotate') {
    keys = [await newKey()];
    build();
  } else if (path === '/test/bend') {
    bend = input;
  } else if (path === '/test/requests') {
    return reply(res, 200, requests);
  } else if (path === '/test/last-id-token') {
    return reply(res, 200, { id_token: lastIdToken });
  } else {
    return reply(res, 404, { error: 'no such test endpoint' });
  }
  return reply(res, 200, { ok: true, kid: keys[0].kid });
}

build();
http.createServer(async (req, res) => {
  const url = new URL(req.url, issuer);
  try {
    if (url.pathname.startsWith('/test/')) return await admin(req, res, url.pathname);
    requests.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams) });
    if (url.pathname.startsWith('/interaction/')) return await interaction(req, res, url.pathname);
    return handle(req, res);
  } catch (error) {
    return reply(res, 500, { error: String(error) });
  }
}).listen(Number(port), '127.0.0.1', () => console.log(`oidc-provider ready at ${issuer}`));
