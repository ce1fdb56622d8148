/**
 * A stay from ``firstDay`` to ``lastDay`` days ahead for 2 adults, typed as a guest would type it, in the
 * ISO way the bot reads in every language.
 */
export function stayDates(firstDay, lastDay) {
    const day = (offset) => {
        const date = new Date();
        date.setDate(date.getDate() + offset);
        return date.toISOString().slice(0, 10);
    };
    return `${day(firstDay)} to ${day(lastDay)} for 2 adults`;
}
