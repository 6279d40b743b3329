/**
 * Declares every value exported by the Reins packages as a global, for type-checking guide
 * snippets that use a function without repeating its import. A snippet's own import of the same
 * name shadows the global, so complete examples are checked exactly as written.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** The text of a `.d.ts` declaring each value export of `packages/*` as a global. */
export function ambientExports(repository: string): string {
  const entries = readdirSync(join(repository, 'packages')).map((name) => ({
    name,
    index: join(repository, 'packages', name, 'src', 'index.ts'),
  }));
  const program = ts.createProgram(
    entries.map((entry) => entry.index),
    {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      customConditions: ['@reins/source'],
      noEmit: true,
      skipLibCheck: true,
    },
  );
  const checker = program.getTypeChecker();
  const declared = new Set<string>();
  const lines: string[] = [];
  for (const entry of entries) {
    const source = program.getSourceFile(entry.index);
    const moduleSymbol = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    if (moduleSymbol === undefined) continue;
    const specifier = `@reins/${entry.name}`;
    for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
      const target =
        symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      if ((target.flags & ts.SymbolFlags.Value) === 0 || declared.has(symbol.name)) continue;
      declared.add(symbol.name);
      lines.push(`  const ${symbol.name}: typeof import('${specifier}').${symbol.name};`);
    }
  }
  return `export {};\ndeclare global {\n${lines.join('\n')}\n}\n`;
}
