"""Invented names for the demo cases, by origin, written as they would stand in an ID document.

The lists hold common given names and surnames; any combination the generator draws is invented
and belongs to nobody (domain.md Part A 7). Latin-script names keep their diacritics (Ş ğ ı İ,
ł ą ż, ș ț and the older ş ţ, ø å, ñ, ő, ř, the Vietnamese tone marks, the ḥ ṣ ā of scholarly
Arabic transliteration); a small share is written in Arabic, Cyrillic or Greek script.
"""

from __future__ import annotations

from collections.abc import Callable


def _words(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _polish_f(surname: str) -> str:
    for ending, feminine in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
        if surname.endswith(ending):
            return surname[: -len(ending)] + feminine
    return surname


def _slavic_f(surname: str) -> str:
    endings = (("ov", "ova"), ("ev", "eva"), ("in", "ina"), ("ов", "ова"), ("ев", "ева"))
    for ending, feminine in endings:
        if surname.endswith(ending):
            return surname[: -len(ending)] + feminine
    return surname


def _czech_f(surname: str) -> str:
    if surname.endswith("ý"):
        return surname[:-1] + "á"
    return surname + "ová"


Names = tuple[str, ...]


def _origin(
    surnames: str, given_f: str, given_m: str, feminine: Callable[[str], str] | None = None
) -> tuple[Names, Names, Names, Names]:
    """(surnames of women, surnames of men, given names of women, given names of men)."""
    male = _words(surnames)
    female = tuple(feminine(s) for s in male) if feminine else male
    return female, male, _words(given_f), _words(given_m)


# (weight in per cent, origin)
_WEIGHTED = (
    (
        16,
        _origin(
            "Yılmaz, Kaya, Demir, Şahin, Çelik, Yıldız, Yıldırım, Öztürk, Aydın, Özdemir, Arslan, "
            "Doğan, Kılıç, Aslan, Çetin, Kara, Koç, Kurt, Özkan, Şimşek, Polat, Güneş, Aktaş, "
            "Bulut, Keskin, Ünal, İnce, Işık, Uğur, Gündoğdu, Erdem, Tekin, Başaran",
            "Ayşe, Fatma, Emine, Gülşen, Özlem, Çağla, Nazlı, İlkay, Tuğba, Şeyma, Gökçe, Hülya, "
            "Büşra, Gülay, Zeynep, Elif, Sevgül, Dilek, Işıl, Hatice",
            "Mehmet, Mustafa, Hüseyin, Şükrü, İbrahim, Ömer, Ertuğrul, Barış, Yiğit, Doğukan, "
            "Çağatay, Oğuz, Murat, Emre, İsmail, Kemal, Gökhan, Tunç, Ali Rıza, Uğur",
        ),
    ),
    (
        11,
        _origin(
            "Al-Hassan, Haddad, Khalil, Mansour, Al-Khatib, Hamdan, Nasser, Saleh, Darwish, "
            "Youssef, Al-Masri, Kassem, Halabi, Shaheen, Abboud, Al-Ahmad, Sulaiman, Ḥasan, "
            "Ṣāliḥ, al-Ḥalabī, Ḥaddād, Al-Zoubi, Qaṣṣāb, Ibrahim, Othman",
            "Fatima, Rana, Hala, Yara, Lina, Rasha, Nour, Maryam, Rim, Ghada, Huda, Aya, Ruqayya, "
            "Fāṭima, Zaynab, Salma, Dima, Layla",
            "Mohammad, Ahmad, Omar, Khaled, Samer, Abdulrahman, Tarek, Yousef, Hussam, Mahmoud, "
            "ʿAbd al-Raḥmān, Muḥammad, Bilal, Anas, Ammar, Hamza, Fadi, Rami",
        ),
    ),
    (
        7,
        _origin(
            "Ahmadi, Hosseini, Rahimi, Karimi, Noori, Sultani, Haidari, Mohammadi, Rezaei, Azizi, "
            "Sadat, Popal, Stanikzai, Wardak, Naseri, Amiri, Sharifi, Faizi, Jalali, Safi",
            "Mursal, Zahra, Sediqa, Nazanin, Maryam, Khadija, Freshta, Parwana, Mahbooba, Shabnam, "
            "Zarghona, Nilofar, Hasina, Roya, Lailuma",
            "Ahmad Shah, Farid, Ramin, Jawad, Habibullah, Sohrab, Mohammad Nabi, Rahmatullah, "
            "Wahid, Samiullah, Naweed, Ehsan, Zabihullah, Mirwais, Hamid",
        ),
    ),
    (
        5,
        _origin(
            "Rahimi, Mohammadi, Hosseinzadeh, Karimi, Jafari, Moradi, Ebrahimi, Kazemi, Rostami, "
            "Ahmed, Hussein, Rashid, Zebari, Othman, Aziz, Mahmoud, Ali, Qadir, Xoşnaw, Şêxo",
            "Zhila, Shirin, Dilan, Rojda, Hêvîn, Roya, Darya, Berfîn, Jiyan, Nesrîn, Golnaz, Leyla",
            "Kawa, Baran, Azad, Soran, Dilşad, Rêbaz, Shvan, Karwan, Dariush, Reza, Behnam, Serhat",
        ),
    ),
    (
        11,
        _origin(
            "Shevchenko, Kovalenko, Bondarenko, Tkachenko, Kravchenko, Melnyk, Boiko, Oliinyk, "
            "Koval, Lysenko, Marchenko, Rudenko, Savchenko, Petrenko, Hnatiuk, Moroz, Pavlenko, "
            "Klymenko, Kovalchuk, Polishchuk, Yakovenko, Zinchenko",
            "Olena, Oksana, Iryna, Yuliia, Nataliia, Tetiana, Viktoriia, Kateryna, Svitlana, "
            "Halyna, Liudmyla, Anastasiia, Khrystyna, Olha, Mariia",
            "Andrii, Oleksandr, Dmytro, Serhii, Mykola, Bohdan, Volodymyr, Yurii, Taras, Vasyl, "
            "Ihor, Oleh, Maksym, Vitalii, Petro",
        ),
    ),
    (
        3,
        _origin(
            "Ivanov, Smirnov, Kuznetsov, Popov, Sokolov, Lebedev, Kozlov, Novikov, Morozov, "
            "Volkov, Nurlanov, Abenov, Zhakupov, Sergeev",
            "Natalia, Olga, Tatiana, Elena, Svetlana, Anna, Aigerim, Dinara, Ksenia, Lyudmila",
            "Alexei, Sergei, Dmitri, Andrei, Nikolai, Yerlan, Timur, Vladimir, Pavel, Ruslan",
            _slavic_f,
        ),
    ),
    (
        6,
        _origin(
            "Nowak, Kowalski, Wiśniewski, Wójcik, Kowalczyk, Kamiński, Lewandowski, Zieliński, "
            "Szymański, Woźniak, Dąbrowski, Kozłowski, Jankowski, Mazur, Kwiatkowski, Krawczyk, "
            "Piotrowski, Grabowski, Pawłowski, Michalski, Król, Wieczorek, Jabłoński, Wróbel, "
            "Stępień, Łukasiewicz, Sobczak, Zając, Górecki, Wiśniewski-Łęcki",
            "Małgorzata, Agnieszka, Katarzyna, Joanna, Zofia, Żaneta, Ewa, Magdalena, Barbara, "
            "Jadwiga, Bożena, Grażyna, Urszula, Aleksandra",
            "Łukasz, Paweł, Krzysztof, Michał, Tomasz, Wojciech, Bartłomiej, Grzegorz, Jarosław, "
            "Przemysław, Stanisław, Jędrzej, Mikołaj, Zbigniew",
            _polish_f,
        ),
    ),
    (
        6,
        _origin(
            "Popescu, Ionescu, Popa, Stan, Dumitru, Stoica, Gheorghe, Rusu, Munteanu, Matei, "
            "Constantin, Șerban, Ștefănescu, Țurcanu, Văduva, Bălan, Dinu, Lungu, Neagu, Ţîrlea, "
            "Şerbănescu, Moraru, Căpraru, Dobrescu, Roșca, Moşneagu, Bălţatu",
            "Andreea, Ioana, Elena, Cătălina, Mădălina, Oana, Ana-Maria, Florența, Bianca, Raluca, "
            "Georgiana, Ştefania, Alina, Denisa",
            "Mihai, Ștefan, Alexandru, Răzvan, Bogdan, Ionuț, Florin, Tudor, Cosmin, Marius, "
            "Ştefan, Dănuț, Vasile, Costel",
        ),
    ),
    (
        4,
        _origin(
            "Hodžić, Kovačević, Petrović, Jovanović, Babić, Marković, Đorđević, Ćosić, Mehmedović, "
            "Hasanović, Begić, Nikolić, Krasniqi, Gashi, Berisha, Hoxha, Shala, Çollaku",
            "Amra, Jasmina, Dragana, Selma, Đurđa, Ljubica, Mirela, Vjosa, Blerta, Arbnora, Ajla",
            "Edin, Mirza, Nikola, Emir, Dražen, Željko, Armend, Besnik, Dardan, Haris, Goran",
        ),
    ),
    (
        5,
        _origin(
            "Nguyễn, Trần, Lê, Phạm, Hoàng, Huỳnh, Phan, Vũ, Võ, Đặng, Bùi, Đỗ, Hồ, Ngô, Dương, Lý",
            "Thị Thu Hương, Thị Lan, Thị Ngọc Ánh, Thị Mai, Thị Hồng Nhung, Thu Trang, Thị Hằng, "
            "Ngọc Bích, Thị Phượng, Khánh Linh",
            "Văn Minh, Đức Anh, Quang Huy, Hoàng Long, Thanh Tùng, Văn Đức, Minh Khôi, Quốc Bảo, "
            "Tuấn Kiệt, Hữu Nghĩa",
        ),
    ),
    (
        5,
        _origin(
            "Tesfaye, Haile, Gebremedhin, Tekle, Berhane, Kidane, Weldemichael, Ghebreyesus, "
            "Tsegay, Habte, Yohannes, Mebrahtu, Andemariam, Kahsay, Abraha, Gebremariam",
            "Semhar, Selam, Helen, Saba, Senait, Winta, Yordanos, Luwam, Hiwet, Mehret, Feven",
            "Yonas, Filmon, Merhawi, Dawit, Robel, Aman, Biniam, Mussie, Tesfalem, Natnael, Henok",
        ),
    ),
    (
        4,
        _origin(
            "Okafor, Adeyemi, Mensah, Diallo, Traoré, Kouassi, Ndiaye, Boateng, Osei, Chukwu, "
            "Nwosu, Owusu, Bamba, Sow, Oyelọ́wọ̀, Adébáyọ̀",
            "Aminata, Fatoumata, Ama, Adaeze, Ngozi, Mariama, Abena, Chidinma, Aïssatou, Yetunde",
            "Chinedu, Kwame, Oluwaseun, Ibrahima, Moussa, Kofi, Emeka, Mamadou, Souleymane, Tunde",
        ),
    ),
    (
        4,
        _origin(
            "García, Fernández, González, Rodríguez, López, Martínez, Sánchez, Pérez, Gómez, "
            "Muñoz, Peña, Núñez, Ibáñez, Castañeda, Ordóñez, Muñoz Peña",
            "María José, Begoña, Lucía, Sofía, Inés, Núria, Mª Ángeles, Ainhoa, Montserrat, Paula",
            "José Luis, Ángel, Iñaki, Andrés, Álvaro, Joaquín, Sebastián, Jesús, Raúl, Íñigo",
        ),
    ),
    (
        2,
        _origin(
            "Øvergård, Sørensen, Bjørnstad, Ødegård, Løvås, Håland, Kværnø, Aasen, Strøm, "
            "Berg, Bråten",
            "Åse, Kjersti, Ingrid, Ragnhild, Sølvi, Tone, Mette, Bodil, Signe",
            "Søren, Bjørn, Øystein, Trond, Håkon, Ørjan, Pål, Stian, Åsmund",
        ),
    ),
    (
        2,
        _origin(
            "Kővári, Szőke, Horváth, Nagy, Tóth, Szabó, Kiss, Fehér, Pintér, Bíró, Dvořák, Novák, "
            "Černý, Procházka, Kučera, Veselý",
            "Zsófia, Győngyi, Erzsébet, Ildikó, Kateřina, Lenka, Markéta, Hana, Zuzana",
            "Győző, Gergő, László, Ödön, Jiří, Tomáš, Lukáš, Přemysl, Ondřej",
        ),
    ),
    (
        1,
        _origin(
            "Papadopoulos, Georgiou, Dimitriou, Nikolaidis, Ioannou, Konstantinidis, Vlachos, "
            "Karagiannis, Oikonomou",
            "Eleni, Maria, Aikaterini, Vasiliki, Sofia, Georgia, Despoina",
            "Georgios, Dimitrios, Konstantinos, Ioannis, Nikolaos, Christos, Panagiotis",
        ),
    ),
    # Names in their own script (Arabic, Cyrillic, Greek): about three in a hundred.
    (
        2,
        _origin(
            "الحسن, الخطيب, حداد, منصور, خليل, العلي, ناصر, صالح, درويش, يوسف, المصري, الأحمد, "
            "سلامة, الأسعد",
            "فاطمة, مريم, ليلى, نور, سارة, هالة, رنا, زينب, آية",
            "محمد, أحمد, علي, عمر, خالد, يوسف, حسن, عبد الرحمن, بلال",
        ),
    ),
    (
        1,
        _origin(
            "Шевченко, Коваленко, Бондаренко, Ткаченко, Мельник, Гнатюк, Ґалаґан, Їжакевич, "
            "Кузнецов, Смирнов, Попов",
            "Олена, Оксана, Ірина, Юлія, Наталія, Тетяна, Єва, Ольга",
            "Андрій, Олександр, Дмитро, Сергій, Микола, Богдан, Ігор, Алексей",
            _slavic_f,
        ),
    ),
    (
        1,
        _origin(
            "Γεωργίου, Δημητρίου, Ιωάννου, Οικονόμου, Νικολάου, Αθανασίου",
            "Ελένη, Μαρία, Αικατερίνη, Σοφία, Δέσποινα",
            "Γιώργος, Δημήτρης, Κωνσταντίνος, Νίκος, Ἀλέξανδρος",
        ),
    ),
    (
        4,
        _origin(
            "Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, Hoffmann, "
            "Schäfer, Koch, Bauer, Richter, Klein, Wolf, Schröder, Neumann, Schwarz, Zimmermann",
            "Anna, Katharina, Svetlana, Irina, Olga, Jelena, Maria, Lena, Natalja",
            "Alexander, Viktor, Waldemar, Eduard, Andreas, Johann, Artur, Dmitri, Eugen",
        ),
    ),  # Spätaussiedler and EU citizens with German surnames
)
ORIGINS = tuple(origin for _, origin in _WEIGHTED)
ORIGIN_TABLE = tuple(index for index, (weight, _) in enumerate(_WEIGHTED) for _ in range(weight))
assert len(ORIGIN_TABLE) == 100, len(ORIGIN_TABLE)
