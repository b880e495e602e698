/**
 * Process-wide cleanup: whatever the harness starts (moto_server, terraform) registers a killer
 * here, and it runs when the test process ends, normally or on SIGINT/SIGTERM/SIGHUP.
 *
 * Exit handlers must be synchronous, so a killer is a synchronous function (e.g. sending SIGKILL to
 * a process group); graceful stops happen earlier, in the owner's own `stop()`.
 */

type Killer = () => void;

const killers = new Map<number, Killer>();
let nextId = 1;
let installed = false;

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function runAll(): void {
  for (const [id, kill] of [...killers.entries()].reverse()) {
    killers.delete(id);
    try {
      kill();
    } catch {
      // already gone
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  process.stderr.write(`\n[e2e] ${signal}: stopping moto_server and terraform children\n`);
  runAll();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  // Re-raise so the process ends the way it would have without us.
  process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runAll);
  for (const s of SIGNALS) process.on(s, onSignal);
}

/** Register a synchronous killer; returns a function that unregisters it. */
export function onProcessExit(kill: Killer): () => void {
  install();
  const id = nextId++;
  killers.set(id, kill);
  return () => {
    killers.delete(id);
  };
}

/** Send `signal` to a whole process group (the child was spawned `detached`), ignoring ESRCH. */
export function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}
