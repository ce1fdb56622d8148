import { Message } from "@mail/core/common/message";

import { patch } from "@web/core/utils/patch";

patch(Message.prototype, {
    /**
     * The bot's choices, as buttons under its latest message only: an older question is no longer asked.
     */
    get guestOptions() {
        const thread = this.props.thread;
        const message = this.props.message;
        if (thread?.channel_type !== "livechat" || !message.guest_options?.length) {
            return [];
        }
        return thread.newestPersistentMessage?.eq(message) ? message.guest_options : [];
    },

    /**
     * Answer with the option's title, as a visitor typing it would; its id tells the bot which was clicked.
     */
    answerGuestOption(option) {
        return this.props.thread.post(option.title, {}, { context: { guest_messaging_reply_id: option.id } });
    },
});
