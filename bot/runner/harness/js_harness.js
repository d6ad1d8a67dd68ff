// Inside the sandbox: load the solution, call its function on each case, one JSON line per case.
// Request on stdin: {"code", "function", "cases": [[arg, ...], ...]}. Results go to fd 1; the
// solution's console output is sent to stderr. Expected values never enter the sandbox.
'use strict';
const fs = require('fs');
const vm = require('vm');

const SOLUTION_FILE = 'solution.js';
const TRACE_LINES = 6;

// Node makes pipes non-blocking: a write may be partial or refused (EAGAIN) until the bot reads.
function writeAll(fd, text) {
  const data = Buffer.from(text);
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += fs.writeSync(fd, data, offset);
    } catch (error) {
      if (error.code !== 'EAGAIN') throw error;
    }
  }
}

function emit(message) {
  writeAll(1, JSON.stringify(message) + '\n');
}

function shortTrace(error) {
  if (!(error instanceof Error)) return `thrown: ${String(error)}`.slice(0, 500);
  const lines = String(error.stack || error).split('\n');
  const head = lines[0];
  const own = lines.filter((line) => line.includes(SOLUTION_FILE)).slice(0, 3);
  return [head, ...own].slice(0, TRACE_LINES).join('\n');
}

function load(code, name) {
  vm.runInThisContext(code, { filename: SOLUTION_FILE });
  const fn = vm.runInThisContext(`typeof ${name} === 'function' ? ${name} : undefined`);
  if (typeof fn !== 'function') throw new Error(`define a function named ${name}`);
  return fn;
}

function runCase(fn, args) {
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  const got = fn(...args);
  const used = process.cpuUsage(cpuStarted);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  const text = JSON.stringify(got === undefined ? null : got);
  const cpuMs = (used.user + used.system) / 1000;
  return { got: JSON.parse(text), ms: Math.round(elapsed * 1000) / 1000, cpu_ms: cpuMs };
}

function main() {
  const request = JSON.parse(fs.readFileSync(0, 'utf8'));
  const toStderr = (...parts) => { writeAll(2, parts.map(String).join(' ') + '\n'); };
  for (const method of ['log', 'info', 'debug', 'warn', 'error', 'trace']) console[method] = toStderr;
  process.stdout.write = (chunk) => { writeAll(2, String(chunk)); return true; };
  let fn;
  try {
    fn = load(request.code, request.function);
  } catch (error) {
    emit({ load_error: shortTrace(error) });
    return;
  }
  emit({ ready: true });
  for (const args of request.cases) {
    let message;
    try {
      message = runCase(fn, args);
    } catch (error) {
      message = error instanceof RangeError && /allocation|memory/i.test(error.message)
        ? { memory: true } : { error: shortTrace(error) };
    }
    emit(message);
  }
}

main();
