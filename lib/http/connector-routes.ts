import type { ConnectorService } from '../management/connector-service.js';
import { requireTask } from '../management/restarts.js';
import type { TargetState } from '../state/types.js';
import type { ConnectorConfig } from '../api/connector-config.js';
import {
  alterOffsetsSchema,
  configMapSchema,
  configPatchSchema,
  createConnectorSchema,
  previewSchema,
  readJsonBody,
} from './body.js';
import { HttpError } from './errors.js';
import type { Route, RouteContext } from './router.js';
import { emptyResponse, jsonResponse, type HttpRequest, type HttpResponse } from './types.js';
import type { Views } from './views.js';

/** What the connector routes do; RocketMQ Connect's aliases reuse them. */
export type ConnectorHandlers = ReturnType<typeof connectorHandlers>;

/** Kafka Connect's connector operations, with its status codes and shapes. */
export function connectorHandlers(service: ConnectorService, views: Views) {
  const name = (c: RouteContext) => c.params.name!;

  const info = async (connector: string): Promise<HttpResponse> => {
    const state = await service.describe(connector);
    return jsonResponse(200, views.info(state.connector, state.taskConfigs));
  };

  const list = async ({ request }: RouteContext): Promise<HttpResponse> => {
    const expand = expandOf(request);
    if (expand.size === 0)
      return jsonResponse(
        200,
        (await service.list()).map((c) => c.name),
      );
    const all = await service.describeAll();
    return jsonResponse(
      200,
      Object.fromEntries(
        all.map((state) => [
          state.connector.name,
          {
            ...(expand.has('status') ? { status: views.status(state) } : {}),
            ...(expand.has('info') ? { info: views.info(state.connector, state.taskConfigs) } : {}),
            ...(expand.has('metrics') ? { metrics: views.metrics(state) } : {}),
          },
        ]),
      ),
    );
  };

  const create = async ({ request }: RouteContext): Promise<HttpResponse> => {
    const body = readJsonBody(
      request,
      createConnectorSchema,
      'a JSON object {"name": ..., "config": {...}}',
    );
    const record = await service.create(body.name, body.config, body.initial_state ?? 'RUNNING');
    return jsonResponse(201, views.info(record, undefined), {
      location: `/connectors/${encodeURIComponent(record.name)}`,
    });
  };

  const putConfig = async (c: RouteContext): Promise<HttpResponse> => {
    const config = readConfig(c.request);
    const { record, created } = await service.putConfig(name(c), config);
    return jsonResponse(
      created ? 201 : 200,
      views.info(record, await service.taskConfigs(record.name)),
    );
  };

  const preview = async (c: RouteContext): Promise<HttpResponse> => {
    const body =
      c.request.body === undefined || c.request.body === ''
        ? {}
        : readJsonBody(
            c.request,
            previewSchema,
            'a JSON object {config?, limit?, timeoutMs?, records?}',
          );
    const { records, ...rest } = body;
    return jsonResponse(
      200,
      await service.preview(name(c), { ...rest, ...(records && { samples: records }) }),
    );
  };

  const patchConfig = async (c: RouteContext): Promise<HttpResponse> => {
    const patch = readJsonBody(
      c.request,
      configPatchSchema,
      'a JSON object of config keys and values (null removes a key)',
    );
    const record = await service.patchConfig(name(c), patch);
    return jsonResponse(200, views.info(record, await service.taskConfigs(record.name)));
  };

  const target = (state: TargetState, status: 202 | 204) => async (c: RouteContext) => {
    await service.setTargetState(name(c), state);
    return emptyResponse(status);
  };

  const restart = async (c: RouteContext): Promise<HttpResponse> => {
    const includeTasks = booleanParam(c.request, 'includeTasks');
    const onlyFailed = booleanParam(c.request, 'onlyFailed');
    const plan = await service.restart(name(c), { includeTasks, onlyFailed });
    // Kafka Connect: the plain connector restart answers 204; the others 202 with the status,
    // showing RESTARTING for what is being restarted.
    if (!includeTasks && !onlyFailed) return emptyResponse(204);
    const status = views.status(plan.before);
    return jsonResponse(202, {
      ...status,
      connector: plan.connector ? { ...status.connector, state: 'RESTARTING' } : status.connector,
      tasks: status.tasks.map((t) =>
        plan.taskIds.includes(t.id) ? { ...t, state: 'RESTARTING' } : t,
      ),
    });
  };

  const taskStatus = async (c: RouteContext): Promise<HttpResponse> => {
    const state = await service.describe(name(c));
    const id = taskIdParam(c);
    requireTask(state, id);
    return jsonResponse(200, views.taskStatus(state, id));
  };

  const remove = async (c: RouteContext) => {
    await service.delete(name(c));
    return emptyResponse(204);
  };

  return {
    list,
    create,
    info: (c: RouteContext) => info(name(c)),
    remove,
    putConfig,
    preview,
    patchConfig,
    pause: target('PAUSED', 202),
    resume: target('RUNNING', 202),
    stop: target('STOPPED', 204),
    restart,
    taskStatus,
  };
}

/** Kafka Connect's connector routes (`/connectors...`). */
export function connectorRoutes(
  service: ConnectorService,
  views: Views,
  h: ConnectorHandlers,
): Route[] {
  const name = (c: RouteContext) => c.params.name!;
  return [
    { method: 'GET', pattern: '/connectors', access: 'read', handle: h.list },
    { method: 'POST', pattern: '/connectors', access: 'write', handle: h.create },
    { method: 'GET', pattern: '/connectors/:name', access: 'read', handle: h.info },
    { method: 'DELETE', pattern: '/connectors/:name', access: 'write', handle: h.remove },
    {
      method: 'GET',
      pattern: '/connectors/:name/config',
      access: 'read',
      handle: async (c) => jsonResponse(200, views.config((await service.get(name(c))).config)),
    },
    { method: 'PUT', pattern: '/connectors/:name/config', access: 'write', handle: h.putConfig },
    // Runs the connector's code (a source task polls): write access, though it writes nothing.
    { method: 'POST', pattern: '/connectors/:name/preview', access: 'write', handle: h.preview },
    {
      method: 'PATCH',
      pattern: '/connectors/:name/config',
      access: 'write',
      handle: h.patchConfig,
    },
    {
      method: 'GET',
      pattern: '/connectors/:name/status',
      access: 'read',
      handle: async (c) => jsonResponse(200, views.status(await service.describe(name(c)))),
    },
    {
      method: 'GET',
      pattern: '/connectors/:name/metrics',
      access: 'read',
      handle: async (c) => jsonResponse(200, views.metrics(await service.describe(name(c)))),
    },
    {
      method: 'GET',
      pattern: '/connectors/:name/tasks',
      access: 'read',
      handle: async (c) => jsonResponse(200, views.tasks(await service.describe(name(c)))),
    },
    {
      method: 'GET',
      pattern: '/connectors/:name/tasks/:id/status',
      access: 'read',
      handle: h.taskStatus,
    },
    { method: 'POST', pattern: '/connectors/:name/restart', access: 'write', handle: h.restart },
    {
      method: 'POST',
      pattern: '/connectors/:name/tasks/:id/restart',
      access: 'write',
      handle: async (c) => {
        await service.restartTask(name(c), taskIdParam(c));
        return emptyResponse(204);
      },
    },
    {
      method: 'PUT',
      pattern: '/connectors/:name/pause',
      access: 'write',
      handle: h.pause,
    },
    {
      method: 'PUT',
      pattern: '/connectors/:name/resume',
      access: 'write',
      handle: h.resume,
    },
    {
      method: 'PUT',
      pattern: '/connectors/:name/stop',
      access: 'write',
      handle: h.stop,
    },
    {
      method: 'GET',
      pattern: '/connectors/:name/offsets',
      access: 'read',
      handle: async (c) => jsonResponse(200, { offsets: await service.offsets(name(c)) }),
    },
    {
      method: 'PATCH',
      pattern: '/connectors/:name/offsets',
      access: 'write',
      handle: async (c) => {
        const body = readJsonBody(
          c.request,
          alterOffsetsSchema,
          'a JSON object {"offsets": [{"partition": {...}, "offset": {...} or null}]}',
        );
        await service.alterOffsets(name(c), body.offsets);
        return jsonResponse(200, {
          message: 'The offsets for this connector have been altered successfully',
        });
      },
    },
    {
      method: 'DELETE',
      pattern: '/connectors/:name/offsets',
      access: 'write',
      handle: async (c) => {
        await service.resetOffsets(name(c));
        return jsonResponse(200, {
          message: 'The offsets for this connector have been reset successfully',
        });
      },
    },
  ];
}

/** A flat config body, as `PUT /connectors/{name}/config` and the validate endpoint take it. */
export function readConfig(request: HttpRequest): ConnectorConfig {
  return readJsonBody(request, configMapSchema, 'a JSON object of config keys and string values');
}

/** What `GET /connectors?expand=` may add to each connector: Kafka Connect's two, and metrics. */
const EXPANDS = ['status', 'info', 'metrics'] as const;

/** `?expand=status&expand=info`, or `?expand=status,info` as HTTP API v2 joins repeated keys. */
function expandOf(request: HttpRequest): Set<(typeof EXPANDS)[number]> {
  const values = request.query.getAll('expand').flatMap((v) => v.split(','));
  const expand = new Set<(typeof EXPANDS)[number]>();
  for (const value of values.map((v) => v.trim()).filter((v) => v !== '')) {
    const known = EXPANDS.find((e) => e === value);
    if (known === undefined) {
      const choices = EXPANDS.map((e) => `expand=${e}`);
      throw new HttpError(
        400,
        `expand=${JSON.stringify(value.slice(0, 100))} is not known; use ${choices.slice(0, -1).join(', ')} and/or ${choices.at(-1)}`,
      );
    }
    expand.add(known);
  }
  return expand;
}

function booleanParam(request: HttpRequest, key: string): boolean {
  const value = request.query.get(key);
  if (value === null) return false;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new HttpError(
    400,
    `query parameter ${key} must be true or false, got ${JSON.stringify(value.slice(0, 100))}`,
  );
}

function taskIdParam(c: RouteContext): number {
  const raw = c.params.id!;
  if (!/^\d{1,4}$/.test(raw)) {
    throw new HttpError(
      400,
      `task id must be a non-negative integer, got ${JSON.stringify(raw.slice(0, 100))}`,
    );
  }
  return Number(raw);
}
