package dev.blocks.localcloud.lambda;

/**
 * Invokes a function of the local Lambda service synchronously, as an event source mapping, the HTTP gateway,
 * a schedule or the Invoke API does. The payload and the result are the raw JSON bytes Lambda carries.
 */
public interface FunctionInvoker {

    /**
     * Runs one invocation and returns the function's response payload.
     *
     * @throws FunctionError when the function reported an error (its {@code /error} payload), timed out, or
     *                       its process died during the invocation
     */
    byte[] invoke(String functionName, byte[] payload) throws FunctionError;

    /** An invocation that ended in a function error; {@code payload} is the error document Lambda returns. */
    final class FunctionError extends Exception {
        private final String errorType;
        private final byte[] payload;

        public FunctionError(String errorType, String message, byte[] payload) {
            super(message);
            this.errorType = errorType;
            this.payload = payload;
        }

        public String errorType() {
            return errorType;
        }

        public byte[] payload() {
            return payload;
        }
    }
}
