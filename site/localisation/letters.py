"""The Kazakh-only letters and what people type for them on a Russian keyboard (жатакхана for
жатақхана, КазУТЗУ for ҚазҰТЗУ): one map for the search's folded keys and the records' code
filters. For matching only: stored and shown text keeps every letter."""

KAZAKH_ONLY = "әғқңөұүһі"
#: ә ғ қ ң ө ұ ү һ і -> а г к н о у у х и
KEYBOARD_FOLD = str.maketrans(KAZAKH_ONLY, "агкноуухи")
