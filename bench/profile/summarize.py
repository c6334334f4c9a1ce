#!/usr/bin/env python3
"""Summarises a speedscope file converted from a dotnet-trace sampled-thread-time trace.

The sampler records every thread about every 10 ms and marks each sample with a pseudo-frame: CPU_TIME (running
managed code) or UNMANAGED_CODE_TIME (native code: running, or blocked in a system call). "Busy" below is CPU_TIME
plus native time whose caller is not a known wait primitive; it estimates CPU use on an idle machine and is an
upper bound on a loaded one (a runnable thread waiting for a core still counts).

Usage: summarize.py FILE [N]                 busiest threads, top exclusive and inclusive frames over busy time
       summarize.py FILE N --thread SUBSTR   inclusive breakdown (all sampled time) of the thread running SUBSTR
       summarize.py FILE N --callers SUBSTR  the frames that call SUBSTR, weighted by time
"""
import collections
import json
import sys

WAIT = ('WaitNative', 'WaitOneNoCheck', 'Monitor.Wait(', 'LowLevelSpinWaiter', 'Interop+Sys.Read(', 'RunFinalizers',
        'WaitForSocketEvents', 'Thread.Sleep', 'SpinWait', 'Interop+Sys.Poll', 'Monitor.Enter_Slowpath',
        'Lock.TryEnterSlow', 'LowLevelLifoSemaphore.Wait', 'Missing Symbol', 'TimerQueue.TimerThread',
        'ReleaseSemaphore', 'ManualResetEventSlim.Wait')
SKIP = ('Thread (', 'Process64', '(Non-Activities)', 'Threads', 'CPU_TIME', 'UNMANAGED_CODE_TIME')


def walk(profile):
    """Yields (stack, duration) for an evented speedscope profile."""
    stack, last = [], None
    for event in profile['events']:
        if last is not None and stack:
            yield stack, event['at'] - last
        last = event['at']
        if event['type'] == 'O':
            stack.append(event['frame'])
        else:
            stack.pop()


def main():
    data = json.load(open(sys.argv[1]))
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    frames = [f['name'].split('!', 1)[-1][:130] for f in data['shared']['frames']]
    mode = sys.argv[3] if len(sys.argv) > 3 else None
    key = sys.argv[4] if len(sys.argv) > 4 else None

    if mode == '--thread':
        for profile in data['profiles']:
            inclusive, total = collections.Counter(), 0.0
            for stack, dt in walk(profile):
                total += dt
                for f in set(stack):
                    inclusive[frames[f]] += dt
            if any(key in f for f in inclusive):
                print(f"{profile['name']}: {total:.0f} ms sampled")
                for f, w in inclusive.most_common(n):
                    if not f.startswith(SKIP):
                        print(f"  {100 * w / total:5.1f}%  {f}")
                return
        return
    if mode == '--callers':
        callers = collections.Counter()
        for profile in data['profiles']:
            for stack, dt in walk(profile):
                for i in range(len(stack) - 1, -1, -1):
                    if key in frames[stack[i]]:
                        callers[' <- '.join(frames[stack[j]][:60] for j in range(i - 1, max(i - 4, -1), -1))] += dt
                        break
        for f, w in callers.most_common(n):
            print(f"{w:7.0f} ms  {f}")
        return

    def classify(stack):
        leaf = frames[stack[-1]]
        caller = frames[stack[-2]] if len(stack) > 1 else leaf
        if caller == '?' or 'RunFinalizers' in caller:
            # Unresolved native frames and the finalizer thread are idle waits the sampler cannot see as such.
            return 'wait', caller
        if leaf == 'CPU_TIME':
            return 'cpu', caller
        if leaf == 'UNMANAGED_CODE_TIME':
            return ('wait' if any(w in caller for w in WAIT) else 'native'), caller
        return ('wait' if any(w in leaf for w in WAIT) else 'cpu'), leaf

    threads, exclusive, inclusive, busy_total = [], collections.Counter(), collections.Counter(), 0.0
    for profile in data['profiles']:
        busy = total = 0.0
        for stack, dt in walk(profile):
            total += dt
            kind, leaf = classify(stack)
            if kind == 'wait':
                continue
            busy += dt
            exclusive[leaf + ('' if kind == 'cpu' else ' [native]')] += dt
            for f in set(stack):
                inclusive[frames[f]] += dt
        busy_total += busy
        threads.append((busy, total, profile['name']))
    threads.sort(reverse=True)
    print('busiest threads (busy ms / sampled ms):')
    for busy, total, name in threads[:8]:
        print(f"  {busy:8.0f} {total:8.0f}  {name}")
    print(f"busy total: {busy_total:.0f} ms\n\ntop exclusive (share of busy time):")
    for f, w in exclusive.most_common(n):
        print(f"  {100 * w / busy_total:5.1f}%  {f}")
    print('\ntop inclusive (share of busy time):')
    shown = 0
    for f, w in inclusive.most_common(400):
        if f.startswith(SKIP):
            continue
        print(f"  {100 * w / busy_total:5.1f}%  {f}")
        shown += 1
        if shown >= n:
            break


if __name__ == '__main__':
    main()
