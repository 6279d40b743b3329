/** One item of an MCP tool result's `content`, as far as this module reads it. */
interface ContentItem {
  readonly type: string;
  readonly text?: string;
  readonly data?: string;
  readonly mimeType?: string;
  readonly uri?: string;
  readonly name?: string;
  readonly resource?: { readonly uri?: string; readonly text?: string; readonly mimeType?: string };
}

/**
 * Renders an MCP tool result as the text the model reads: text items as they are, one per
 * line; images, audio and binary resources as a short bracketed note (their bytes are not sent
 * to the model); the structured content as JSON when there is no text.
 *
 * @param result - the `CallToolResult` a server returned.
 * @returns the text of the call's result.
 */
export function callToolResultText(result: {
  readonly content?: readonly ContentItem[];
  readonly structuredContent?: unknown;
}): string {
  const parts = (result.content ?? []).map(itemText);
  if (parts.length === 0 && result.structuredContent !== undefined)
    return JSON.stringify(result.structuredContent);
  return parts.join('\n');
}

function itemText(item: ContentItem): string {
  switch (item.type) {
    case 'text':
      return item.text ?? '';
    case 'image':
    case 'audio':
      return `[${item.type} ${item.mimeType ?? ''}, ${base64Bytes(item.data)} bytes]`;
    case 'resource':
      return (
        item.resource?.text ??
        `[resource ${item.resource?.uri ?? ''} (${item.resource?.mimeType ?? 'binary'})]`
      );
    case 'resource_link':
      return `[resource link ${item.uri ?? ''}${item.name === undefined ? '' : ` ${item.name}`}]`;
    default:
      return `[${item.type} content]`;
  }
}

function base64Bytes(data: string | undefined): number {
  if (data === undefined) return 0;
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.floor((data.length * 3) / 4) - padding;
}
