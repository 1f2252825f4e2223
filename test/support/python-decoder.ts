import { spawnSync } from 'node:child_process';

/*
 * py-busline's JSON envelope decoder as its source reads (busline/event/event.py):
 * json.loads(text, object_hook=_custom_decoder), then RegistryPassthroughEvent.from_dict, which
 * takes the six members by name. Run by the Python interpreter on the machine.
 */
const PY_DECODER = `
import base64, json, sys
from datetime import datetime
def hook(obj):
    if "__type__" in obj:
        if obj["__type__"] == "datetime":
            return datetime.fromisoformat(obj["value"])
        if obj["__type__"] == "bytes":
            return base64.b64decode(obj["value"])
    return obj
out = []
for line in sys.stdin.read().splitlines():
    data = json.loads(line.encode("latin1").decode("utf-8"), object_hook=hook)
    six = [data["identifier"], data["publisher_identifier"], data["serialized_payload"],
           data["payload_format_type"], data["message_type"], data["timestamp"]]
    out.append(repr(six))
print("\\n".join(out))
`;

/** Whether `python3` runs on this machine. */
export const PYTHON_AVAILABLE = spawnSync('python3', ['--version']).status === 0;

/** `it` when python3 runs here, else a skipped `it` whose title says so. */
export function itWithPython(name: string, fn: jest.ProvidesCallback): void {
  if (PYTHON_AVAILABLE) it(name, fn);
  else it.skip(`${name} [skipped: python3 is not installed]`, fn);
}

/**
 * What Python's decoder reads from each JSON envelope (one per line): the six members it takes,
 * as Python's `repr`. Throws what Python wrote to stderr, if anything.
 */
export function pythonDecodedMembers(envelopes: readonly string[]): string[] {
  const run = spawnSync('python3', ['-c', PY_DECODER], { input: envelopes.join('\n') });
  const stderr = run.stderr.toString();
  if (stderr !== '') throw new Error(`python3 failed: ${stderr}`);
  return run.stdout.toString().trim().split('\n');
}
