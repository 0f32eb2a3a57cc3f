package dev.blocks.localcloud.lambda;

import java.time.Duration;

/**
 * How close to Lambda's execution model the local Lambda service runs functions. The defaults are AWS's: a
 * process is frozen whenever it is not running an invocation, instances start when an invocation needs one and
 * are reclaimed when idle, init has 10 s, and a function gets no more concurrent invocations than its reserved
 * concurrency or the account's limit allows (beyond that a synchronous invoke is throttled).
 *
 * @param freeze             SIGSTOP a function process between invocations (false: let background threads run,
 *                           for debugging only; what works then may lose work on AWS)
 * @param prewarm            keep the instance that proved each function's init at start-up, so the first
 *                           invocation finds it warm (AWS never does this without provisioned concurrency)
 * @param idleTimeout        how long an idle instance lives before it is reclaimed (the next invocation is cold)
 * @param initTimeout        Lambda's init limit (10 s): an init that outlasts it is logged as one AWS would re-run
 *                           within the first invocation; an instance is given up once this and the function's
 *                           timeout have both passed
 * @param accountConcurrency invocations in flight across all functions before more are throttled (AWS's
 *                           default quota is 1,000)
 * @param instanceCap        the most instances of one function this machine runs at once; further invocations
 *                           wait for a free instance. A machine limit, not an AWS behaviour: it only queues.
 * @param asyncRetries       the waits of Lambda's queue for asynchronous invocations between attempts (AWS's:
 *                           1 and 2 minutes after function errors)
 */
public record ExecutionModel(
        boolean freeze,
        boolean prewarm,
        Duration idleTimeout,
        Duration initTimeout,
        int accountConcurrency,
        int instanceCap,
        AsyncRetryDelays asyncRetries) {

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_INIT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_ACCOUNT_CONCURRENCY = 1000;
    public static final int DEFAULT_INSTANCE_CAP = 4;

    public ExecutionModel {
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("the idle timeout must be positive, not " + idleTimeout);
        }
        if (initTimeout.isNegative() || initTimeout.isZero()) {
            throw new IllegalArgumentException("the init timeout must be positive, not " + initTimeout);
        }
        if (accountConcurrency < 1 || instanceCap < 1) {
            throw new IllegalArgumentException("concurrency limits must be at least 1");
        }
    }

    /** Lambda's model: frozen, on demand, reclaimed after 5 idle minutes, 10 s of init. */
    public static ExecutionModel aws() {
        return new ExecutionModel(true, false, DEFAULT_IDLE_TIMEOUT, DEFAULT_INIT_TIMEOUT,
                DEFAULT_ACCOUNT_CONCURRENCY, DEFAULT_INSTANCE_CAP, AsyncRetryDelays.AWS);
    }

    public ExecutionModel withFreeze(boolean value) {
        return new ExecutionModel(value, prewarm, idleTimeout, initTimeout, accountConcurrency, instanceCap,
                asyncRetries);
    }

    public ExecutionModel withPrewarm(boolean value) {
        return new ExecutionModel(freeze, value, idleTimeout, initTimeout, accountConcurrency, instanceCap,
                asyncRetries);
    }

    public ExecutionModel withIdleTimeout(Duration value) {
        return new ExecutionModel(freeze, prewarm, value, initTimeout, accountConcurrency, instanceCap,
                asyncRetries);
    }

    public ExecutionModel withInitTimeout(Duration value) {
        return new ExecutionModel(freeze, prewarm, idleTimeout, value, accountConcurrency, instanceCap,
                asyncRetries);
    }

    public ExecutionModel withAccountConcurrency(int value) {
        return new ExecutionModel(freeze, prewarm, idleTimeout, initTimeout, value, instanceCap,
                asyncRetries);
    }

    public ExecutionModel withAsyncRetries(AsyncRetryDelays value) {
        return new ExecutionModel(freeze, prewarm, idleTimeout, initTimeout, accountConcurrency, instanceCap,
                value);
    }

    public ExecutionModel withInstanceCap(int value) {
        return new ExecutionModel(freeze, prewarm, idleTimeout, initTimeout, accountConcurrency, value,
                asyncRetries);
    }
}
