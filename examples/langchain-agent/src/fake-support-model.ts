import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';

/** LangChain's fake chat model, scripted to handle a lost-parcel request in three turns. */
export function createFakeSupportModel() {
  return fakeModel()
    .respond(
      new AIMessage({
        content: 'Let me check the order.',
        tool_calls: [{ name: 'lookup_order', args: { orderId: 'A-1002' }, id: 'call_lookup' }],
      }),
    )
    .respond(
      new AIMessage({
        content: 'The toaster was lost in transit; refunding it.',
        tool_calls: [
          { name: 'refund', args: { orderId: 'A-1002', amountUsd: 54 }, id: 'call_refund' },
        ],
      }),
    )
    .respond(new AIMessage('Your toaster (A-1002) was lost in transit; I refunded the 54 USD.'));
}
