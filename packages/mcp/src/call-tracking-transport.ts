import type {
  Transport,
  TransportSendOptions,
} from '@modelcontextprotocol/sdk/shared/transport.js';
import type {
  JSONRPCMessage,
  MessageExtraInfo,
  RequestId,
} from '@modelcontextprotocol/sdk/types.js';

/** What {@link CallTrackingTransport} tells its owner. */
export interface CallTrackingHooks {
  /** A `notifications/cancelled` for a tool call went out. */
  readonly onCancelSent: (requestId: RequestId, toolName: string, reason: string) => void;
  /** A response came for a call already cancelled; it was dropped. */
  readonly onLateResult: (requestId: RequestId, toolName: string) => void;
}

/** Cancelled calls remembered, so that their late results are recognised. */
const rememberedCancellations = 1024;

/**
 * Wraps an MCP transport to follow tool calls: which are in flight, which were cancelled. A
 * result that arrives for a cancelled call is dropped here, so it can never reach the caller.
 */
export class CallTrackingTransport implements Transport {
  /** Tool calls sent and not answered yet, by request id: the tool's name. */
  readonly inFlight = new Map<RequestId, string>();
  private readonly cancelled = new Map<RequestId, string>();
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

  /**
   * @param inner - the SDK transport (stdio, streamable HTTP).
   * @param hooks - told of cancellations and dropped results.
   */
  constructor(
    private readonly inner: Transport,
    private readonly hooks: CallTrackingHooks,
  ) {
    inner.onclose = () => this.onclose?.();
    inner.onerror = (error) => this.onerror?.(error);
    inner.onmessage = (message, extra) => this.receive(message, extra);
  }

  /** The HTTP session id, once the server gave one. */
  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if ('method' in message) {
      if (message.method === 'tools/call' && 'id' in message) {
        const name = (message.params as { name?: unknown } | undefined)?.name;
        this.inFlight.set(message.id, String(name));
      } else if (message.method === 'notifications/cancelled') {
        const params = message.params as { requestId?: RequestId; reason?: string } | undefined;
        const requestId = params?.requestId;
        const toolName = requestId === undefined ? undefined : this.inFlight.get(requestId);
        if (requestId !== undefined && toolName !== undefined) {
          this.inFlight.delete(requestId);
          this.cancelled.set(requestId, toolName);
          if (this.cancelled.size > rememberedCancellations) {
            const oldest = this.cancelled.keys().next().value;
            if (oldest !== undefined) this.cancelled.delete(oldest);
          }
          this.hooks.onCancelSent(requestId, toolName, params?.reason ?? '');
        }
      }
    }
    return this.inner.send(message, options);
  }

  private receive(message: JSONRPCMessage, extra?: MessageExtraInfo): void {
    if (!('method' in message) && 'id' in message && message.id !== undefined) {
      const toolName = this.cancelled.get(message.id);
      if (toolName !== undefined) {
        this.cancelled.delete(message.id);
        this.hooks.onLateResult(message.id, toolName);
        return;
      }
      this.inFlight.delete(message.id);
    }
    this.onmessage?.(message, extra);
  }
}
