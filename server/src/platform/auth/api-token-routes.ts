import { IdParams } from '../schema.ts';
import { actorOf, personOf, principalOf, type App } from '../http.ts';
import type { ApiTokensService } from './api-tokens.ts';
import { TOKEN_SCOPES } from './permissions.ts';
import { ApiTokenListSchema, ApiTokenSchema, CreatedApiTokenSchema, NewApiTokenSchema } from './schema.ts';

const tags = ['api tokens'];

export function apiTokenRoutes(app: App, tokens: ApiTokensService): void {
  app.get(
    '/api/api-tokens',
    {
      config: { access: 'api_tokens.manage' },
      schema: {
        operationId: 'listApiTokens',
        tags,
        summary: "The hospital's API tokens, revoked ones included, and the scopes a token may be granted",
        response: { 200: ApiTokenListSchema },
      },
    },
    async (request) => ({
      items: await tokens.list(principalOf(request).hospitalId),
      grantableScopes: [...TOKEN_SCOPES],
    }),
  );

  app.post(
    '/api/api-tokens',
    {
      config: { access: 'api_tokens.manage' },
      schema: {
        operationId: 'createApiToken',
        tags,
        summary: 'Create an API token for an integration; the answer holds its secret, shown this once',
        body: NewApiTokenSchema,
        response: { 201: CreatedApiTokenSchema },
        problems: [422],
      },
    },
    async (request, reply) => {
      const created = await tokens.create(personOf(request), request.body, actorOf(request));
      return reply.code(201).send(created);
    },
  );

  app.post(
    '/api/api-tokens/:id/revoke',
    {
      config: { access: 'api_tokens.manage' },
      schema: {
        operationId: 'revokeApiToken',
        tags,
        summary: 'Revoke an API token: its next call is refused (401 API_TOKEN_REVOKED)',
        params: IdParams,
        response: { 200: ApiTokenSchema },
        problems: [404],
      },
    },
    async (request) => tokens.revoke(personOf(request), request.params.id, actorOf(request)),
  );
}
