"""What a number in a message counts: nights, weeks, days, adults, children or people."""

NIGHT = r"(?:nights?|nites?|noches?|nuits?|nachte|nacht|ubernachtungen|ubernachtung|noites?|notti|notte)"
WEEK = r"(?:weeks?|semanas?|semaines?|wochen?|woche|settimane|settimana)"
DAY = r"(?:days?|dias?|jours?|tagen?|tag|giorni|giorno)"
ADULT = r"(?:adults?|adultos?|adultas?|adultes?|erwachsenen?|erwachsener|adulti)"
CHILD = (r"(?:children|child|kids?|ninos?|ninas?|hijos?|hijas?|enfants?|kindern?|kind|criancas?|filhos?|"
         r"bebes?|babies|baby|infants?|menores|teenagers?|teens?|bambin[oaie]|figli[oae]?|neonat[oi]|minori)")
PEOPLE = (r"(?:people|persons?|guests?|pax|personas?|huespedes|personnes?|personen|pessoas?|hospedes|persone|"
          r"ospiti|of us|de nosotros|di noi)")
UNIT = rf"(?:{NIGHT}|{WEEK}|{DAY}|{ADULT}|{CHILD}|{PEOPLE})"
