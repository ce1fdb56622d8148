"""What a number in a message counts: nights, weeks, days, adults, children or people."""

NIGHT = r"(?:nights?|nites?|noches?|nuits?|nachte|nacht|ubernachtungen|ubernachtung|noites?)"
WEEK = r"(?:weeks?|semanas?|semaines?|wochen?|woche)"
DAY = r"(?:days?|dias?|jours?|tagen?|tag)"
ADULT = r"(?:adults?|adultos?|adultas?|adultes?|erwachsenen?|erwachsener)"
CHILD = (r"(?:children|child|kids?|ninos?|ninas?|hijos?|hijas?|enfants?|kindern?|kind|criancas?|filhos?|"
         r"bebes?|babies|baby|infants?|menores|teenagers?|teens?)")
PEOPLE = (r"(?:people|persons?|guests?|pax|personas?|huespedes|personnes?|personen|pessoas?|hospedes|"
          r"of us|de nosotros)")
UNIT = rf"(?:{NIGHT}|{WEEK}|{DAY}|{ADULT}|{CHILD}|{PEOPLE})"
