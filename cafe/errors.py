"""Errors raised by the services, each with a stable code and a Swedish message."""
from flask_babel import lazy_gettext as _l

MESSAGES = {
    "bad_request": _l("Begäran kunde inte tolkas."),
    "invalid_payload": _l("Meddelandet har fel form."),
    "invalid_field": _l("Ett fält har ett ogiltigt värde."),
    "unknown_field": _l("Fältet %(field)s finns inte här."),
    "empty_text": _l("Anteckningen är tom. Skriv något innan du sparar."),
    "text_too_long": _l("Anteckningen är för lång (högst 2 000 tecken)."),
    "control_chars": _l("Anteckningen innehåller otillåtna styrtecken."),
    "invalid_client_id": _l("Anteckningens id måste vara ett UUID."),
    "invalid_level": _l("Nivån måste vara individ, enhet eller förvaltning."),
    "invalid_unit": _l("Enheten finns inte i den här förvaltningen."),
    "invalid_since": _l("Värdet för since måste vara ett heltal från 0 och uppåt."),
    "event_closed": _l("Caféet är avslutat och tar inte emot fler anteckningar."),
    "not_found": _l("Det du söker finns inte."),
    "note_not_found": _l("Anteckningen finns inte."),
    "conflict": _l("Anteckningen har ändrats någon annanstans. Ladda om och försök igen."),
    "client_id_taken": _l("Anteckningens id används redan av ett annat bord."),
    "unauthorized": _l("Du behöver logga in eller ange en giltig nyckel."),
    "forbidden": _l("Du har inte behörighet till det här."),
    "invalid_token": _l("Nyckeln är ogiltig eller har gått ut."),
    "table_removed": _l("Bordet finns inte längre: arrangören har tagit bort det. Det som inte hann sparas finns "
                        "kvar i telefonen."),
    "invalid_code": _l("Koden finns inte. Kontrollera tecknen och försök igen."),
    "invalid_credentials": _l("Fel e-postadress eller lösenord."),
    "too_many_requests": _l("För många försök. Vänta en stund och försök igen."),
    "internal": _l("Något gick fel på servern. Försök igen."),
    "unknown_event": _l("Händelsen %(event)s finns inte här."),
    "method_not_allowed": _l("Adressen finns, men inte för den metoden."),
    "too_large": _l("Begäran är för stor."),
    # Action lists, exports, uploads and imports
    "empty_title": _l("Åtgärden behöver en rubrik."),
    "invalid_status": _l("Statusen måste vara förslag, beslutad, pågår, genomförd, ej aktuell eller utanför "
                          "förvaltningens ansvar."),
    "invalid_forum": _l("Forumet måste vara APT, ledningsgrupp eller lokal styrgrupp."),
    "invalid_point": _l("Punkten finns inte i ramverket."),
    "invalid_date": _l("Datumet måste skrivas som ÅÅÅÅ-MM-DD."),
    "action_conflict": _l("Åtgärden har ändrats av någon annan sedan du öppnade den. Ladda om och försök igen."),
    "no_notes": _l("Välj minst en anteckning."),
    "theme_not_found": _l("Temat finns inte."),
    # The report to the committee
    "report_no_events": _l("Välj minst ett café eller ett år för rapporten."),
    "report_too_many": _l("Välj högst 100 caféer för en rapport."),
    "invalid_year": _l("Året måste skrivas med fyra siffror, till exempel 2026."),
    "invalid_format": _l("Formatet måste vara docx, pdf eller html."),
    "invalid_upload": _l("Filen kunde inte läsas."),
    "import_expired": _l("Förhandsgranskningen har gått ut. Ladda upp filen igen."),
    "busy": _l("Servern har många jobb i kö just nu. Försök igen om en stund."),
    # Running the café: rounds, broadcast messages, stars
    "round_not_found": _l("Rundan finns inte i det här caféet."),
    "round_running": _l("En runda pågår redan. Avsluta den eller gå till nästa runda."),
    "round_not_running": _l("Ingen runda pågår just nu."),
    "round_not_paused": _l("Rundan är inte pausad."),
    "round_ended": _l("Rundan är redan avslutad."),
    "no_next_round": _l("Det finns ingen fler runda. Lägg till en runda i planeringen eller avsluta caféet."),
    "invalid_minutes": _l("Förläng med ett helt antal minuter, från 1 till 60."),
    "empty_message": _l("Meddelandet är tomt. Skriv något innan du skickar."),
    "message_too_long": _l("Meddelandet är för långt (högst 200 tecken)."),
    "star_limit": _l("Du kan stjärnmärka högst tre anteckningar per runda. Ta bort en stjärna först."),
    "note_deleted": _l("Anteckningen är borttagen. Ångra borttagningen först."),
    # Security and privacy
    "personal_data": _l("Anteckningen verkar innehålla personuppgifter (personnummer, telefonnummer, "
                        "e-postadress eller namn på en klient). Ta bort dem och skriv om arbetssituationen "
                        "i stället."),
    "account_locked": _l("Kontot är tillfälligt låst efter för många misslyckade inloggningar. Försök igen senare."),
    "confirmation_required": _l("Skriv caféets namn exakt för att bekräfta att allt ska raderas."),
    "payload_too_large": _l("Det du skickade är för stort."),
    # Signing in through the municipality's identity provider (OpenID Connect)
    "local_login_off": _l("Inloggning med e-post och lösenord är avstängd här. Logga in med kommunens inloggning."),
    "no_access": _l("Du har inte behörighet till Dialogcafé: ingen av dina grupper hos kommunens inloggning ger "
                    "tillgång, så inget konto har skapats. Be den som administrerar Dialogcafé i din förvaltning "
                    "att lägga till dig i rätt grupp."),
    "oidc_email_taken": _l("Det finns redan ett konto med din e-postadress, och det kan inte kopplas till din "
                           "inloggning hos kommunen. Be den som administrerar Dialogcafé om hjälp."),
    "oidc_no_email": _l("Kommunens inloggning skickade ingen e-postadress, så inget konto kan skapas. Be den som "
                        "administrerar Dialogcafé om hjälp."),
    "oidc_unavailable": _l("Kommunens inloggning svarar inte just nu. Försök igen om en stund."),
    "oidc_state": _l("Inloggningen kunde inte slutföras: den har redan använts, tagit för lång tid eller startats "
                     "i en annan webbläsare. Börja om från inloggningssidan."),
    "oidc_denied": _l("Kommunens inloggning avbröt inloggningen. Börja om från inloggningssidan."),
    "oidc_invalid_token": _l("Svaret från kommunens inloggning gick inte att lita på, så du har inte loggats in. "
                             "Försök igen, och kontakta den som administrerar Dialogcafé om det händer igen."),
    "oidc_invalid_claims": _l("Svaret från kommunens inloggning saknar uppgifter som behövs för att logga in. "
                              "Kontakta den som administrerar Dialogcafé."),
    # Live synthesis, curation and the projector
    "theme_conflict": _l("Temat har ändrats av en annan processledare sedan du öppnade det. Se det nya läget "
                         "och försök igen."),
    "invalid_label": _l("Temats namn måste vara 1–120 tecken utan styrtecken."),
    "same_theme": _l("Välj ett annat tema än det anteckningen redan ligger i."),
    "note_not_in_theme": _l("En av de valda anteckningarna hör inte till temat."),
    "split_all": _l("Lämna minst en anteckning kvar i temat när du delar det."),
    "note_point_changed": _l("Anteckningens punkt har ändrats av någon annan. Se det nya läget och försök igen."),
    "no_change": _l("Det är redan så."),
    "not_novel": _l("Bara ett tema utanför ramverket kan bli en ny punkt."),
    "curation_not_found": _l("Ändringen finns inte."),
    "already_undone": _l("Ändringen är redan ångrad."),
    "undo_conflict": _l("Ändringen kan inte ångras: något den rörde har ändrats efteråt. Ångra de senare "
                        "ändringarna först."),
    "point_in_use": _l("Punkten kan inte tas bort: anteckningar har redan fått den."),
    "invalid_slide": _l("Bilden finns inte. Välj en av projektorns bilder."),
    "invalid_rotation": _l("Bildväxlingen måste vara mellan 5 och 600 sekunder, eller av."),
    # Planning and the pre-vote
    "required_field": _l("Fältet måste fyllas i."),
    "field_too_long": _l("Texten är för lång."),
    "too_many_rows": _l("Det är för många rader."),
    "invalid_round_minutes": _l("Rundans tid måste vara mellan 1 och 240 minuter."),
    "table_has_notes": _l("Bordet har anteckningar och kan inte tas bort."),
    "table_has_host": _l("%(table)s har en samtalsledare ansluten just nu. Om bordet ändå ska tas bort: kryssa i "
                         "rutan under borden och spara igen. Samtalsledaren får veta att bordet är borttaget och kan "
                         "kopiera ut det som inte hunnit sparas."),
    "hosts_connected": _l("Samtalsledare är anslutna just nu och kan inte spara fler anteckningar när caféet är "
                          "avslutat. Bekräfta att caféet ska avslutas och försök igen."),
    "round_in_use": _l("Rundan har startat eller har anteckningar och kan inte tas bort."),
    "invalid_status_change": _l("Caféets status kan inte ändras på det sättet."),
    "invalid_event_status": _l("Statusen måste vara utkast (draft), pågår (live) eller avslutat (closed)."),
    "unit_exists": _l("Det finns redan en enhet med det namnet."),
    "invalid_email": _l("Skriv en giltig e-postadress."),
    "email_taken": _l("E-postadressen används redan av ett annat konto."),
    "weak_password": _l("Lösenordet måste ha minst 10 tecken."),
    "invalid_facilitator": _l("Processledaren måste höra till samma förvaltning."),
    "invalid_max_points": _l("Antalet punkter per deltagare måste vara mellan 1 och antalet punkter i ramverket."),
    "invalid_link_count": _l("Antalet personliga länkar måste vara mellan 1 och 1 000."),
    "vote_not_open": _l("Enkäten är inte öppen."),
    "vote_closed": _l("Enkäten är stängd och tar inte emot fler svar."),
    "already_voted": _l("Du har redan svarat på enkäten. Varje deltagare kan bara svara en gång."),
    "code_used": _l("Den personliga länken är redan använd. Varje länk kan bara användas en gång."),
    "invalid_vote_code": _l("Den personliga länken finns inte. Kontrollera länken."),
    "personal_link_required": _l("Enkäten kräver en personlig länk. Använd länken du fick."),
    "no_points": _l("Välj minst en punkt."),
    "too_many_points": _l("Du har valt för många punkter."),
    "wish_too_long": _l("Önskemålet är för långt (högst 1 000 tecken)."),
    "wish_control_chars": _l("Önskemålet innehåller otillåtna styrtecken."),
}


class ServiceError(Exception):
    """A refusal a user can act on: a code, a Swedish message and an HTTP status."""

    def __init__(self, code: str, status: int = 400, message: str | None = None, **details):
        super().__init__(code)
        self.code = code
        self.status = status
        self.custom_message = message
        self.details = details

    @property
    def message(self) -> str:
        """The message in the current locale, naming what the details name (e.g. the table)."""
        text = str(self.custom_message or MESSAGES.get(self.code, MESSAGES["bad_request"]))
        if "%(" in text:
            try:
                return text % self.details
            except (KeyError, TypeError, ValueError):
                return text
        return text

    def to_dict(self) -> dict:
        """The error as it is sent in an ack or a JSON response."""
        error = {"code": self.code, "message": self.message}
        if self.details:
            error["details"] = self.details
        return error
