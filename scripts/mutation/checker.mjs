// A Stryker checker (stryker.config.mjs `checkers: ['ts-file']`): a mutant that TypeScript rejects is a compile error,
// not a test result. It replaces @stryker-mutator/typescript-checker, whose watch-mode solution builder re-checked the
// whole program for every mutant (about 1.7 CPU-seconds each on this machine: 70 % of a full run went there).
//
// This one keeps a TypeScript language service over `tsconfigFile` and, for each mutant:
// 1. puts the mutated text in place of its file and asks for that file's syntactic and semantic diagnostics;
// 2. if the file is clean and the types of its exports changed, asks the same of the files that import it directly
//    (tsc's `assumeChangesOnlyAffectDirectDependencies`: a mutant changes one file, its shape reaches the importers).
// A new program reuses every unchanged source file, so a check costs what checking one or a few files costs.
import path from 'node:path';
import ts from 'typescript';
import { CheckStatus } from '@stryker-mutator/api/check';
import { commonTokens, declareClassPlugin, PluginKind, tokens } from '@stryker-mutator/api/plugin';

const formatHost = { getCanonicalFileName: (name) => name, getCurrentDirectory: () => process.cwd(), getNewLine: () => '\n' };

class FileChecker {
  static inject = tokens(commonTokens.options, commonTokens.logger);

  /** @type {Map<string, string>} mutated texts by file */
  #texts = new Map();
  /** @type {Map<string, number>} */
  #versions = new Map();
  /** @type {Map<string, string[]>} the project files that import each file */
  #importers = new Map();
  /** @type {Map<string, string>} the types of each file's exports, unmutated */
  #shapes = new Map();
  /** @type {Map<string, string | undefined>} every file as first read: edits made while a run goes on are not seen */
  #disk = new Map();
  /** @type {Map<string, { text: string, lines: readonly number[] }>} the project's files, unmutated */
  #originals = new Map();
  /** Files outside the project that were warned about. */
  #unchecked = new Set();
  #service;

  constructor(options, log) {
    this.options = options;
    this.log = log;
  }

  async init() {
    const config = ts.getParsedCommandLineOfConfigFile(
      this.options.tsconfigFile,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
        },
      },
    );
    const files = config.fileNames.map((name) => path.resolve(name));
    this.#service = ts.createLanguageService(
      {
        getScriptFileNames: () => files,
        getScriptVersion: (name) => String(this.#versions.get(path.resolve(name)) ?? 0),
        getScriptSnapshot: (name) => {
          const text = this.#texts.get(path.resolve(name)) ?? this.#read(name);
          return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
        },
        getCurrentDirectory: () => process.cwd(),
        getCompilationSettings: () => config.options,
        getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
        fileExists: ts.sys.fileExists,
        readFile: (name) => this.#read(name),
        readDirectory: ts.sys.readDirectory,
        directoryExists: ts.sys.directoryExists,
        getDirectories: ts.sys.getDirectories,
      },
      ts.createDocumentRegistry(),
    );
    const program = this.#service.getProgram();
    const errors = ts.getPreEmitDiagnostics(program);
    if (errors.length > 0) {
      throw new Error(`The unmutated project does not type-check:\n${ts.formatDiagnostics(errors, formatHost)}`);
    }
    for (const source of program.getSourceFiles()) {
      if (source.isDeclarationFile || !files.includes(path.resolve(source.fileName))) continue;
      const name = path.resolve(source.fileName);
      this.#originals.set(name, { text: source.text, lines: ts.computeLineStarts(source.text) });
      this.#shapes.set(name, this.#shape(program, source));
      for (const statement of source.statements) {
        const specifier = ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) ? statement.moduleSpecifier : undefined;
        if (!specifier || !ts.isStringLiteral(specifier)) continue;
        const resolved = ts.resolveModuleName(specifier.text, source.fileName, config.options, ts.sys).resolvedModule;
        if (!resolved || resolved.isExternalLibraryImport) continue;
        const target = path.resolve(resolved.resolvedFileName);
        this.#importers.set(target, [...new Set([...(this.#importers.get(target) ?? []), name])]);
      }
    }
  }

  /** The type of each export as TypeScript prints it: what an importer can see of the file. */
  #shape(program, source) {
    const checker = program.getTypeChecker();
    const module = checker.getSymbolAtLocation(source);
    if (!module) return '';
    return checker
      .getExportsOfModule(module)
      .map((symbol) => {
        const type = checker.getTypeOfSymbolAtLocation(symbol, source);
        const declared = symbol.flags & ts.SymbolFlags.Type ? checker.getDeclaredTypeOfSymbol(symbol) : undefined;
        const print = (t) => (t ? checker.typeToString(t, undefined, ts.TypeFormatFlags.NoTruncation) : '');
        return `${symbol.name}: ${print(type)} / ${print(declared)}`;
      })
      .join('\n');
  }

  #read(name) {
    const key = path.resolve(name);
    if (!this.#disk.has(key)) this.#disk.set(key, ts.sys.readFile(key));
    return this.#disk.get(key);
  }

  #diagnostics(name) {
    return [...this.#service.getSyntacticDiagnostics(name), ...this.#service.getSemanticDiagnostics(name)];
  }

  async check(mutants) {
    const results = {};
    for (const mutant of mutants) results[mutant.id] = this.#checkOne(mutant);
    return results;
  }

  #checkOne(mutant) {
    const name = path.resolve(mutant.fileName);
    const file = this.#originals.get(name);
    if (file === undefined) {
      // a file stryker.config.mjs mutates that tsconfigFile leaves out: its mutants are tested unchecked
      if (!this.#unchecked.has(name))
        this.log.warn(`${path.relative(process.cwd(), name)} is not in ${this.options.tsconfigFile}: its mutants are not type-checked`);
      this.#unchecked.add(name);
      return { status: CheckStatus.Passed };
    }
    const original = file.text;
    const offset = ({ line, column }) => file.lines[line] + column;
    this.#texts.set(name, `${original.slice(0, offset(mutant.location.start))}${mutant.replacement}${original.slice(offset(mutant.location.end))}`);
    this.#versions.set(name, (this.#versions.get(name) ?? 0) + 1);
    try {
      let errors = this.#diagnostics(name);
      if (errors.length === 0) {
        const program = this.#service.getProgram();
        if (this.#shape(program, program.getSourceFile(name)) !== this.#shapes.get(name)) {
          errors = (this.#importers.get(name) ?? []).flatMap((importer) => this.#diagnostics(importer));
        }
      }
      return errors.length === 0 ? { status: CheckStatus.Passed } : { status: CheckStatus.CompileError, reason: ts.formatDiagnostics(errors, formatHost) };
    } finally {
      this.#texts.delete(name);
      this.#versions.set(name, this.#versions.get(name) + 1);
    }
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Checker, 'ts-file', FileChecker)];
