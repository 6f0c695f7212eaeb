/** The update kinds Linli asks Telegram for, by polling or by webhook. */
export const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;
