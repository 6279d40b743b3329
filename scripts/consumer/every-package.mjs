// Plain Node, no TypeScript: every package and subpath export loads and has its main export.
const expected = {
  '@reins/core': 'createAgent',
  '@reins/core/testing': 'createScriptedBackend',
  '@reins/controller': 'createController',
  '@reins/openai': 'createOpenAICompatible',
  '@reins/openai/testing': 'createChatCompletionsServer',
  '@reins/langchain': 'reinsMiddleware',
  '@reins/mcp': 'connectMcpServer',
  '@reins/early-exit': 'createReasoningTool',
  '@reins/coding-tools': 'createCodingTools',
  '@reins/otel': 'traceRun',
  '@reins/trajectories': 'calibratePolicy',
  '@reins/serving-sim': 'simulate',
  '@reins/cli': 'runCli',
  '@reins/bullmq': 'createRunQueue',
  '@reins/bullmq/testing': 'startRedisServer',
};
for (const [specifier, name] of Object.entries(expected)) {
  const module = await import(specifier);
  if (typeof module[name] !== 'function')
    throw new Error(`${specifier} does not export the function ${name}`);
}
console.log(`every-package: ${Object.keys(expected).length} entry points load under plain node`);
