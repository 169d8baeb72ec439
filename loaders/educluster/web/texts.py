"""The web service's own page texts in the four languages (uz, uz-Cyrl, ru, en).

A minimal table until the program's gettext catalogues (educluster.i18n, issue 15 section 1)
carry these strings: :func:`text` is the one place to switch to ``i18n.translations``.
The Uzbek Cyrillic column is the Latin one run through ``educluster.i18n.to_cyrillic``, so
the two Uzbek scripts cannot drift apart. These are the project's working translations.
"""

from __future__ import annotations

from functools import lru_cache

from educluster.i18n import LANGUAGES, normalise, to_cyrillic

#: Names of the languages, each in its own language (for the language switch).
LANGUAGE_NAMES = {"uz": "O‘zbekcha", "uz-Cyrl": "Ўзбекча", "ru": "Русский", "en": "English"}

# key: (en, uz (Latin), ru)
_TABLE: dict[str, tuple[str, str, str]] = {
    "title": ("Check cluster data", "Klaster ma’lumotlarini tekshirish",
              "Проверка данных кластера"),
    "intro": ("Upload the data of your educational cluster (CSV files of the templates, a "
              "workbook .xlsx or .ods, JSON, Turtle or JSON-LD; several files or one zip) and "
              "get a report of what to fix. Nothing you upload is kept after the answer.",
              "Ta’lim klasteringiz ma’lumotlarini yuklang (shablonlarning CSV fayllari, .xlsx "
              "yoki .ods ish kitobi, JSON, Turtle yoki JSON-LD; bir nechta fayl yoki bitta "
              "zip) va nimani tuzatish kerakligi haqida hisobot oling. Yuklangan ma’lumotlar "
              "javobdan keyin saqlanmaydi.",
              "Загрузите данные вашего образовательного кластера (CSV-файлы шаблонов, книгу "
              ".xlsx или .ods, JSON, Turtle или JSON-LD; несколько файлов или один zip) и "
              "получите отчёт о том, что исправить. Загруженные данные не сохраняются после "
              "ответа."),
    "files": ("Data files", "Ma’lumot fayllari", "Файлы данных"),
    "language": ("Language of the report", "Hisobot tili", "Язык отчёта"),
    "strict": ("Warnings count as failures", "Ogohlantirishlar ham xato hisoblanadi",
               "Предупреждения считаются ошибками"),
    "submit": ("Check the data", "Ma’lumotlarni tekshirish", "Проверить данные"),
    "page_language": ("Language of this page", "Sahifa tili", "Язык страницы"),
    "api": ("For programs: the REST API", "Dasturlar uchun: REST API",
            "Для программ: REST API"),
    "api_intro": ("POST the files to /api/validate (multipart form, field 'files', optional "
                  "'lang' and 'strict'); the answer is the JSON report with exit_code 0 "
                  "(conforms), 1 (violations) or 2 (unreadable). The OpenAPI description:",
                  "Fayllarni /api/validate manziliga POST qiling (multipart shakl, 'files' "
                  "maydoni, ixtiyoriy 'lang' va 'strict'); javob JSON hisobot bo‘lib, "
                  "exit_code 0 (mos), 1 (buzilishlar) yoki 2 (o‘qib bo‘lmaydi). OpenAPI "
                  "tavsifi:",
                  "Отправьте файлы POST-запросом на /api/validate (multipart, поле 'files', "
                  "необязательные 'lang' и 'strict'); ответ — отчёт в JSON с exit_code 0 "
                  "(соответствует), 1 (нарушения) или 2 (не читается). Описание OpenAPI:"),
    "report": ("Validation report", "Tekshiruv hisoboti", "Отчёт о проверке"),
    "conforms": ("The data conforms", "Ma’lumotlar talablarga mos",
                 "Данные соответствуют требованиям"),
    "violations": ("The data does not conform", "Ma’lumotlar talablarga mos emas",
                   "Данные не соответствуют требованиям"),
    "unreadable": ("The data cannot be read", "Ma’lumotlarni o‘qib bo‘lmadi",
                   "Данные не удаётся прочитать"),
    "counts": ("{v} violations, {w} warnings", "{v} ta buzilish, {w} ta ogohlantirish",
               "нарушений: {v}, предупреждений: {w}"),
    "no_findings": ("No problems found.", "Muammo topilmadi.", "Проблем не найдено."),
    "row": ("row {n}", "{n}-qator", "строка {n}"),
    "no_row": ("(no row)", "(qatorsiz)", "(без строки)"),
    "severity": ("Severity", "Darajasi", "Серьёзность"),
    "sev_violation": ("violation", "buzilish", "нарушение"),
    "sev_warning": ("warning", "ogohlantirish", "предупреждение"),
    "column": ("Column", "Ustun", "Столбец"),
    "entity": ("Entity", "Obyekt", "Объект"),
    "message": ("Problem", "Muammo", "Проблема"),
    "value": ("Value", "Qiymat", "Значение"),
    "fix": ("How to fix", "Qanday tuzatish", "Как исправить"),
    "downloads": ("Downloads", "Yuklab olish", "Скачать"),
    "dl_json": ("Report as JSON", "Hisobot (JSON)", "Отчёт в JSON"),
    "dl_csv": ("Report as CSV (spreadsheet)", "Hisobot (CSV, jadval)",
               "Отчёт в CSV (таблица)"),
    "dl_html": ("Report as a web page (HTML)", "Hisobot (HTML sahifa)",
                "Отчёт (HTML-страница)"),
    "dl_ttl": ("The data converted to Turtle", "Turtle formatiga o‘girilgan ma’lumotlar",
               "Данные, преобразованные в Turtle"),
    "again": ("Check other data", "Boshqa ma’lumotlarni tekshirish",
              "Проверить другие данные"),
    "errors": ("What could not be read", "Nimani o‘qib bo‘lmadi", "Что не удалось прочитать"),
    "file": ("File", "Fayl", "Файл"),
    "too_large": ("The upload is larger than {mb} MB; send smaller files or fewer at once.",
                  "Yuklama {mb} MB dan katta; kichikroq yoki kamroq fayl yuboring.",
                  "Загрузка больше {mb} МБ; отправьте файлы меньшего размера или меньше "
                  "файлов за раз."),
    "busy": ("The service is busy with other checks; try again in a minute.",
             "Xizmat boshqa tekshiruvlar bilan band; bir daqiqadan so‘ng qayta urinib ko‘ring.",
             "Сервис занят другими проверками; повторите попытку через минуту."),
    "timeout": ("The check took longer than {s} seconds and was stopped; send less data at "
                "once or ask the operator for a longer limit.",
                "Tekshiruv {s} soniyadan uzoq davom etdi va to‘xtatildi; kamroq ma’lumot "
                "yuboring yoki operatordan uzoqroq muddat so‘rang.",
                "Проверка длилась дольше {s} секунд и была остановлена; отправьте меньше "
                "данных или попросите оператора увеличить лимит."),
    "memory": ("Checking this data needs more than the {mb} MB of memory the service allows "
               "for one check; send less data at once.",
               "Bu ma’lumotlarni tekshirish uchun xizmat bitta tekshiruvga ruxsat beradigan "
               "{mb} MB xotiradan ko‘prog‘i kerak; bir vaqtda kamroq ma’lumot yuboring.",
               "Для проверки этих данных нужно больше {mb} МБ памяти, которые сервис "
               "выделяет на одну проверку; отправьте меньше данных за раз."),
    "no_files": ("No file was given; choose at least one data file.",
                 "Fayl berilmadi; kamida bitta ma’lumot faylini tanlang.",
                 "Файл не выбран; выберите хотя бы один файл данных."),
    "up_duplicate": ("Two files are named '{name}'; give each file its own name.",
                     "Ikkita fayl '{name}' deb nomlangan; har bir faylga o‘z nomini bering.",
                     "Два файла называются '{name}'; дайте каждому файлу своё имя."),
    "up_kind": ("'{name}' is not a kind of file the validator reads; send CSV, .xlsx, .ods, "
                "JSON, Turtle, JSON-LD, N-Triples, RDF/XML or a zip.",
                "'{name}' tekshiruvchi o‘qiydigan fayl turi emas; CSV, .xlsx, .ods, JSON, "
                "Turtle, JSON-LD, N-Triples, RDF/XML yoki zip yuboring.",
                "'{name}' — файл такого типа не читается; отправьте CSV, .xlsx, .ods, JSON, "
                "Turtle, JSON-LD, N-Triples, RDF/XML или zip."),
    "zip_unreadable": ("This is not a readable zip archive; make it again with a zip program.",
                       "Bu o‘qiladigan zip arxiv emas; uni zip dasturi bilan qayta yarating.",
                       "Это не читаемый zip-архив; создайте его заново программой zip."),
    "zip_entries": ("The zip holds {n} entries, more than {max}; send fewer files at once.",
                    "Zip arxivda {n} ta yozuv bor, {max} tadan ko‘p; bir vaqtda kamroq fayl "
                    "yuboring.",
                    "В zip-архиве {n} записей, больше {max}; отправьте меньше файлов за раз."),
    "zip_outside": ("The zip entry '{name}' points outside the archive (absolute path or "
                    "'..'); make the archive from the data folder.",
                    "Zip arxivdagi '{name}' yozuvi arxivdan tashqariga ko‘rsatadi (mutlaq yo‘l "
                    "yoki '..'); arxivni ma’lumotlar papkasidan yarating.",
                    "Запись zip-архива '{name}' указывает за пределы архива (абсолютный путь "
                    "или '..'); создайте архив из папки с данными."),
    "zip_link": ("The zip entry '{name}' is a symbolic link; put the files themselves in the "
                 "archive.",
                 "Zip arxivdagi '{name}' yozuvi ramziy havola; arxivga fayllarning o‘zini "
                 "qo‘ying.",
                 "Запись zip-архива '{name}' — символическая ссылка; поместите в архив сами "
                 "файлы."),
    "zip_too_big": ("The zip unpacks to more than {mb} MB; send less data at once.",
                    "Zip arxiv ochilganda {mb} MB dan oshadi; bir vaqtda kamroq ma’lumot "
                    "yuboring.",
                    "Zip-архив распаковывается более чем в {mb} МБ; отправьте меньше данных "
                    "за раз."),
    "zip_entry_bad": ("The zip entry '{name}' cannot be unpacked; make the archive again "
                      "without encryption.",
                      "Zip arxivdagi '{name}' yozuvini ochib bo‘lmaydi; arxivni shifrlashsiz "
                      "qayta yarating.",
                      "Запись zip-архива '{name}' не распаковывается; создайте архив заново "
                      "без шифрования."),
    "zip_empty": ("The zip holds no data files (CSV, workbook, JSON or RDF).",
                  "Zip arxivda ma’lumot fayllari yo‘q (CSV, ish kitobi, JSON yoki RDF).",
                  "В zip-архиве нет файлов данных (CSV, книга, JSON или RDF)."),
    "bad_form": ("The request is not a multipart form upload; send the files as "
                 "multipart/form-data in the field 'files'.",
                 "So‘rov multipart shakl emas; fayllarni 'files' maydonida multipart/form-data "
                 "sifatida yuboring.",
                 "Запрос не является multipart-формой; отправьте файлы как multipart/form-data "
                 "в поле 'files'."),
    "failed": ("The check failed unexpectedly; the operator finds the details in the "
               "service's log.",
               "Tekshiruv kutilmaganda to‘xtadi; tafsilotlar xizmat jurnalida.",
               "Проверка неожиданно завершилась с ошибкой; подробности в журнале сервиса."),
    "error_title": ("The check could not be done", "Tekshiruvni bajarib bo‘lmadi",
                    "Проверку выполнить не удалось"),
    "not_found": ("This page does not exist.", "Bunday sahifa yo‘q.", "Такой страницы нет."),
}


def lang_of(value: str | None) -> str:
    """One of the four languages for a form or query value (English for anything else)."""
    return normalise(value) if value and normalise(value) in LANGUAGES else "en"


@lru_cache(maxsize=None)
def text(key: str, lang: str) -> str:
    """The page text ``key`` in ``lang`` (uz-Cyrl transliterated from uz)."""
    en, uz, ru = _TABLE[key]
    if lang == "uz":
        return uz
    if lang == "uz-Cyrl":
        return _cyrillic_keep_fields(uz)
    if lang == "ru":
        return ru
    return en


def _cyrillic_keep_fields(s: str) -> str:
    """Uzbek Latin to Cyrillic, leaving {fields}, 'quoted' names and paths as they are."""
    import re

    parts = re.split(r"(\{[a-z]+\}|'[^']*'|/[A-Za-z/.]+|\b(?:CSV|JSON-LD|JSON|Turtle|zip|"
                     r"Zip|N-Triples|RDF/XML|xlsx|ods|MB|REST API|OpenAPI|POST|HTML|exit_code|multipart/form-data|"
                     r"multipart)\b)", s)
    return "".join(p if i % 2 else to_cyrillic(p) for i, p in enumerate(parts))


def table(lang: str) -> dict[str, str]:
    """Every page text in ``lang``, for the templates."""
    return {k: text(k, lang) for k in _TABLE}


def keys() -> list[str]:
    """The keys of the table (tests check each has four non-empty languages)."""
    return list(_TABLE)
