"""Which of English, Spanish, French, German, Portuguese and Italian a guest writes in, from common words and
letters."""

import re
import unicodedata

from guestmsg.text import fold, words

# The languages the bot understands and answers in, as ISO 639-1 codes; the one list of them.
LANGUAGES = ("en", "es", "fr", "de", "pt", "it")

_LANGUAGE_WORDS = {
    "en": """the i i'd i'm id im my me we you a an is are am be for to and of in on at with would like want
        need have has do does can could please room rooms night nights book booking tomorrow today tonight next
        this weekend people adults adult children child kids hi hello hey thanks thank yes no available
        availability reservation reservations check from until stay any there how much what when just our
        us guests guest week weeks days day starting arriving leaving name email your it that sure okay help
        change cancel dates date arrive leave check out make get confirm sounds good never mind stop wrong
        morning bye january february march april june july august september october november december
        monday tuesday wednesday thursday friday saturday sunday""",
    "es": """el la los las de del al para por quiero quisiera queremos necesito necesitamos una uno un y con mi
        mis me gracias hola buenas buenos dias noche noches habitacion habitaciones manana hoy reserva reservar
        reservas hay tienen disponible disponibilidad personas persona adultos adulto ninos nino si fin semana
        proximo proxima este esta hablar alguien ayuda favor que cuanto fecha fechas llegada salida somos
        tengo es mio correo nombre llamo soy desde hasta vale claro viernes sabado domingo lunes martes
        miercoles jueves pasado cancelar cambiar ver no acuerdo olvidalo enero febrero marzo abril mayo junio
        julio agosto septiembre octubre noviembre diciembre cuando recepcion ayudar podeis""",
    "fr": """je j'ai voudrais une un chambre chambres pour nuits nuit le la les du au aux demain bonjour merci
        reserver reservation reservations avec et est personnes personne adultes enfants disponible vous avez
        des oui mes mon ma s'il plait week-end prochain ce soir aujourd'hui sejour dates parler quelqu'un
        annuler changer non nous sommes suis m'appelle janvier fevrier mars avril mai juin juillet aout
        septembre octobre novembre decembre lundi mardi mercredi jeudi vendredi samedi dimanche""",
    "de": """ich ein eine einen zimmer fur nachte nacht morgen hallo danke buchen buchung und mit der die das
        den dem personen erwachsene kinder frei haben sie bitte mochte meine meinen ja guten tag vom bis zum
        wochenende nachsten nachstes heute ubermorgen reservierung gibt es noch ist bin sprechen stornieren
        andern nein wir sind kann januar februar marz april mai juni juli august september oktober november
        dezember montag dienstag mittwoch donnerstag freitag samstag sonntag wann mein habe schon bereits""",
    "pt": """eu quero queria gostaria um uma quarto quartos para noites noite amanha ola obrigado obrigada reservar
        reserva reservas e com pessoas adultos criancas disponivel voces tem sim minhas minha meu preciso de do
        da ate fim semana proxima proximo hoje hospedes falar alguem cancelar mudar nao nos somos sou chamo no
        bom boa janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro dezembro
        segunda terca quarta quinta sexta sabado domingo feira tenho quando quanto posso datas voce pessoa
        muito tudo por otimo favor atendimento""",
    "it": """io vorrei voglio vogliamo vorremmo una uno un camera camere stanza stanze per notte notti domani
        dopodomani oggi stasera stanotte ciao buongiorno buonasera salve grazie prenotare prenoto prenotazione
        prenotazioni disponibilita avete c'e ci sono libera libere libero liberi persone adulti bambini bambino
        con il lo la le gli del della dei delle dal dalla al alla fino mio mia miei mie nostra nostro siamo ho
        abbiamo questo questa questi prossimo prossima settimana parlare qualcuno aiuto annullare cancellare cambiare
        modificare va bene confermo quando quanto costa gennaio febbraio marzo aprile maggio giugno luglio
        agosto settembre ottobre novembre dicembre lunedi martedi mercoledi giovedi venerdi sabato domenica gia
        e di da che non favore arrivederci posso possiamo cerco arrivo partenza anche ancora due tre quattro
        cinque sei sette otto dieci operatore assistenza umano""",
}
LANGUAGE_SETS = {lang: frozenset(text.split()) for lang, text in _LANGUAGE_WORDS.items()}
# a word of one language only counts double
_WORD_WEIGHT = {
    word: 2 if sum(word in s for s in LANGUAGE_SETS.values()) == 1 else 1
    for language_words in LANGUAGE_SETS.values() for word in language_words
}
_LANGUAGE_MARKS = {"es": "ñ¿¡", "pt": "ãõ", "de": "ßäöü", "fr": "èêàâîôûœë", "it": "ìò"}
# Accents that only one language puts there, each worth three: a grave accent at the end of a word is
# Italian ("sì", "città", "più"; French only has "déjà", "voilà", "là" and "où"), "è" on its own is the
# Italian "is"; "é" on its own is the Portuguese "is", and "ê" ending a word Portuguese ("você", "três", "têm").
_PLACED_MARKS = {
    "it": re.compile(r"(?<=[^\W\djl])à(?!\w)|(?<=[^\W\d])[ìò](?!\w)|(?<=[^\W\do])ù(?!\w)|(?<!\w)è(?!\w)"),
    "pt": re.compile(r"(?<!\w)é(?!\w)|(?<=\w)ê(?=[sm]?(?!\w))"),
}


def detect_language(text: str) -> str | None:
    """The most likely of ``LANGUAGES``; None without a clue or on a tie."""
    lowered = unicodedata.normalize("NFKC", text).casefold()
    scores = dict.fromkeys(LANGUAGES, 0)
    for lang, pattern in _PLACED_MARKS.items():
        scores[lang] += 3 * len(pattern.findall(lowered))
        lowered = pattern.sub(" ", lowered)
    for lang, marks in _LANGUAGE_MARKS.items():
        scores[lang] += 2 * sum(lowered.count(m) for m in marks)
    if "ç" in lowered:
        scores["pt"] += 1
        scores["fr"] += 1
    for word in words(fold(text, emojis=False)):
        weight = _WORD_WEIGHT.get(word)
        if weight:
            for lang in LANGUAGES:
                if word in LANGUAGE_SETS[lang]:
                    scores[lang] += weight
    best = max(scores.values())
    if best <= 0:
        return None
    leaders = [lang for lang in LANGUAGES if scores[lang] == best]
    return leaders[0] if len(leaders) == 1 else None
